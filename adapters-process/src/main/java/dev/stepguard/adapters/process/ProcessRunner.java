package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.Launch;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one started process to its end: writes stdin while {@link RunPipes} drains stdout and
 * stderr with caps, holds one wall-clock deadline over the whole run, stops the run as {@link
 * RunStop} says on timeout or on a cancellation, and kills whatever the run left.
 */
final class ProcessRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

  /** What Linux pipes hold before a writer blocks. */
  private static final int PIPE_CAPACITY = 64 * 1024;

  private final Predicate<ProcessHandle> terminable;

  /**
   * A runner that sends SIGTERM on timeout to the processes {@code terminable} accepts; the rest (a
   * sandbox's own processes, whose death would end the script at once) wait for the SIGKILL.
   */
  ProcessRunner(Predicate<ProcessHandle> terminable) {
    this.terminable = terminable;
  }

  private final ExecutorService io =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "stepguard-pipe");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * What the runner saw.
   *
   * @param cancelled whether the runner ended the run because its cancellation asked it to
   * @param killedBy the signal the runner ended the run with on timeout or cancellation, or 0
   */
  record Observation(
      int exitValue,
      boolean deadlinePassed,
      boolean cancelled,
      int killedBy,
      boolean stdoutOverflow,
      byte[] stdout,
      byte[] stderrHead,
      byte[] stderr,
      boolean stderrWhole) {

    /** Whether the runner itself ended the run by a signal, so its exit status says nothing. */
    boolean endedByRunner() {
      return deadlinePassed || cancelled;
    }
  }

  /**
   * Moves the started process into the run's cgroups and tells the launch that it exists, before
   * the process gets any input: the bootstrap is still waiting for the script on stdin, so no line
   * of the script has run. If either fails (the launch refuses by throwing from {@code onStart}),
   * the process is killed unrun.
   *
   * @return why the run cannot go on, or empty to go on
   */
  static Optional<String> announce(Process process, Launch launch, RunCgroup cgroup)
      throws InterruptedException {
    ProcessHandle handle = process.toHandle();
    try {
      cgroup.enter(handle);
    } catch (IOException e) {
      ProcessTree.kill(handle);
      process.waitFor();
      return Optional.of(
          "could not move the run into its cgroup ("
              + e.getMessage()
              + "); stepguard needs its own cgroup to stay writable");
    }
    ProcessIdentity identity =
        ProcessIdentities.of(handle)
            .orElseGet(
                () -> new ProcessIdentity(ProcessIdentities.HOST, handle.pid(), Instant.EPOCH));
    try {
      launch.onStart().accept(identity);
      return Optional.empty();
    } catch (RuntimeException e) {
      ProcessTree.kill(handle);
      process.waitFor();
      return Optional.of(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /**
   * Watches {@code process}, started for {@code launch}, until it ends, then kills everything the
   * run started that is still there, whatever the ending: the run ends when its script ends. The
   * caller keeps it among the {@link LiveProcesses} meanwhile.
   *
   * @param stdin what to write to the child's stdin
   * @param cgroup the run's cgroups, into which {@link #announce} moved the process
   */
  Observation watch(Process process, Launch launch, byte[] stdin, RunCgroup cgroup)
      throws InterruptedException {
    ProcessHandle root = process.toHandle();
    String executionId = launch.id().value();
    // Every process of the run started when its first one did or later (0 if it is gone already).
    long notBefore = ProcessIdentities.startTicks(process.pid()).orElse(0);
    Set<Long> sessions = ConcurrentHashMap.newKeySet();
    sessions.add(process.pid());
    RunPipes pipes =
        RunPipes.drain(
            process,
            launch.limits(),
            io,
            () -> {
              sessions.addAll(Leftovers.sessionsUnder(root));
              ProcessTree.kill(root);
            });
    RunStop stop = new RunStop(process, sessions, launch.cancellation(), terminable);
    Cancellation.Subscription subscription = stop.listen();
    RunStop.Stopped stopped;
    Future<?> writer = CompletableFuture.completedFuture(null);
    try {
      if (stop.requested()) {
        // Asked to stop before the script got its input: the bootstrap has run none of it.
        ProcessTree.kill(root);
        write(process.getOutputStream(), new byte[0]);
        stopped = RunStop.Stopped.BEFORE_INPUT;
      } else {
        writer = writeStdin(process, stdin);
        stopped = stop.await(launch.timeout(), launch.grace(), pipes::overflowed);
      }
    } catch (InterruptedException e) {
      sessions.addAll(Leftovers.sessionsUnder(root));
      ProcessTree.kill(root);
      endLeftovers(sessions, executionId, notBefore, cgroup);
      throw e;
    } finally {
      subscription.close();
    }
    process.waitFor();
    // The script's process (the bootstrap, or whatever it exec'd) is gone: the run is over, and
    // whatever it left is killed now, not waited for.
    forgetReusedSession(sessions, process);
    endLeftovers(sessions, executionId, notBefore, cgroup);
    pipes.finish(writer);
    return pipes.observation(process.exitValue(), stopped);
  }

  /**
   * Kills what the run left: its cgroups' members where it has cgroups (every process the run
   * started was born inside them, whatever its session or environment), else the bootstrap's
   * session and every process that carries the run's id (daemons that left the session), a look
   * that reads every process's {@code /proc} entry. None of it is waited for.
   */
  static void endLeftovers(
      Set<Long> sessions, String executionId, long notBefore, RunCgroup cgroup) {
    cgroup.killMembers();
    if (!cgroup.holdsProcesses()) {
      Leftovers.kill(sessions, executionId, notBefore);
    }
  }

  /**
   * Drops the bootstrap's session once the bootstrap was reaped, if its number is taken again:
   * while a member lives the kernel keeps the number from being reused, so a process holding it now
   * leads another's session.
   */
  private static void forgetReusedSession(Set<Long> sessions, Process reaped) {
    if (ProcessHandle.of(reaped.pid()).isPresent()) {
      sessions.remove(reaped.pid());
    }
  }

  /**
   * Writes stdin. What fits in an empty pipe is written at once, without a thread hop; more goes
   * through a thread, so a script that never reads cannot hold up the deadline.
   */
  private Future<?> writeStdin(Process process, byte[] stdin) {
    if (stdin.length <= PIPE_CAPACITY) {
      write(process.getOutputStream(), stdin);
      return CompletableFuture.completedFuture(null);
    }
    return io.submit(() -> write(process.getOutputStream(), stdin));
  }

  private static void write(OutputStream stdin, byte[] bytes) {
    try (stdin) {
      stdin.write(bytes);
    } catch (IOException e) {
      // The script closed stdin or ended without reading it all; that is its right.
      LOG.debug("stdin not fully written: {}", e.toString());
    }
  }
}
