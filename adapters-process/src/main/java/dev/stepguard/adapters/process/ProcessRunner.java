package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.Signals;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.Launch;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one started process to its end: writes stdin while stdout and stderr drain concurrently
 * with caps, holds one wall-clock deadline over the whole run, and on timeout or on a cancellation
 * sends SIGTERM to the tree, waits the grace period, then SIGKILLs what is left; an urgent
 * cancellation SIGKILLs at once.
 */
final class ProcessRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRunner.class);

  /** Room kept in the stderr tail for the bootstrap's end line. */
  private static final int REPORT_ROOM = 1024;

  /** How much of the start of stderr is kept apart, for the bootstrap's first line. */
  private static final int HEAD = 1024;

  /** How long the pipes may stay open after the run's processes were all killed. */
  private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(2);

  /** What Linux pipes hold before a writer blocks. */
  private static final int PIPE_CAPACITY = 64 * 1024;

  /** Runs in progress, ended by a shutdown hook if stepguard itself is stopped. */
  private static final Set<ProcessHandle> RUNNING = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> RUNNING.forEach(ProcessTree::kill), "stepguard-stop-runs"));
  }

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
   * run started that is still there, whatever the ending: the run ends when its script ends.
   *
   * @param stdin what to write to the child's stdin
   * @param cgroup the run's cgroups, into which {@link #announce} moved the process
   */
  Observation watch(Process process, Launch launch, byte[] stdin, RunCgroup cgroup)
      throws InterruptedException {
    ProcessHandle root = process.toHandle();
    RUNNING.add(root);
    try {
      return observe(process, root, launch, stdin, cgroup);
    } finally {
      RUNNING.remove(root);
    }
  }

  /**
   * Kills what the run left: its cgroups' members, the bootstrap's session and every process that
   * carries the run's id (daemons that left the session). None of it is waited for.
   */
  private static void endLeftovers(Set<Long> sessions, String executionId, RunCgroup cgroup) {
    cgroup.killMembers();
    Leftovers.kill(sessions, executionId);
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

  private Observation observe(
      Process process, ProcessHandle root, Launch launch, byte[] stdin, RunCgroup cgroup)
      throws InterruptedException {
    String executionId = launch.id().value();
    Duration timeout = launch.timeout();
    Duration grace = launch.grace();
    long stdoutLimit = launch.limits().stdoutBytes();
    long stderrTail = launch.limits().stderrTailBytes();
    AtomicBoolean overflow = new AtomicBoolean();
    Set<Long> sessions = ConcurrentHashMap.newKeySet();
    sessions.add(process.pid());
    StreamCaptures.Head out =
        new StreamCaptures.Head(
            stdoutLimit,
            () -> {
              overflow.set(true);
              sessions.addAll(Leftovers.sessionsUnder(root));
              ProcessTree.kill(root);
            });
    StreamCaptures.Tail err = new StreamCaptures.Tail((int) stderrTail + REPORT_ROOM, HEAD);
    Future<?> outReader = io.submit(() -> out.drain(process.getInputStream()));
    Future<?> errReader = io.submit(() -> err.drain(process.getErrorStream()));
    Cancellation cancellation = launch.cancellation();
    Semaphore wake = new Semaphore(0);
    Cancellation.Subscription subscription = cancellation.onRequest(wake::release);
    process.onExit().thenRun(wake::release);
    boolean cancelled = false;
    int killedBy = 0;
    boolean deadlinePassed = false;
    Future<?> writer = CompletableFuture.completedFuture(null);
    try {
      if (cancellation.requested().isPresent()) {
        // Asked to stop before the script got its input: the bootstrap has run none of it.
        ProcessTree.kill(root);
        write(process.getOutputStream(), new byte[0]);
        cancelled = true;
        killedBy = Signals.SIGKILL;
      } else {
        writer = writeStdin(process, stdin);
        boolean exited =
            awaitExit(process, wake, timeout, () -> cancellation.requested().isPresent());
        cancelled = !exited && !overflow.get() && cancellation.requested().isPresent();
        deadlinePassed = !exited && !overflow.get() && !cancelled;
        if (cancelled || deadlinePassed) {
          killedBy = stop(process, root, sessions, grace, wake, cancellation);
        } else if (overflow.get()) {
          ProcessTree.kill(root);
        }
      }
    } catch (InterruptedException e) {
      sessions.addAll(Leftovers.sessionsUnder(root));
      ProcessTree.kill(root);
      endLeftovers(sessions, executionId, cgroup);
      throw e;
    } finally {
      subscription.close();
    }
    process.waitFor();
    // The script's process (the bootstrap, or whatever it exec'd) is gone: the run is over, and
    // whatever it left is killed now, not waited for.
    forgetReusedSession(sessions, process);
    endLeftovers(sessions, executionId, cgroup);
    finish(writer, outReader, errReader);
    return new Observation(
        process.exitValue(),
        deadlinePassed,
        cancelled,
        killedBy,
        overflow.get(),
        out.bytes(),
        err.head(),
        err.bytes(),
        err.whole());
  }

  /**
   * Ends a run that is still going: SIGTERM to the tree, then SIGKILL once the grace period is over
   * or at once when the cancellation is urgent.
   *
   * @return the signal that ended it
   */
  private int stop(
      Process process,
      ProcessHandle root,
      Set<Long> sessions,
      Duration grace,
      Semaphore wake,
      Cancellation cancellation)
      throws InterruptedException {
    sessions.addAll(Leftovers.sessionsUnder(root));
    if (!cancellation.urgent()) {
      ProcessTree.terminate(root, terminable);
      if (awaitExit(process, wake, grace, cancellation::urgent)) {
        return Signals.SIGTERM;
      }
      sessions.addAll(Leftovers.sessionsUnder(root));
    }
    ProcessTree.kill(root);
    return Signals.SIGKILL;
  }

  /**
   * Waits until {@code process} exits, {@code time} passes or {@code giveUp} holds, whichever comes
   * first; {@code wake} is released on exit and on every cancellation request.
   *
   * @return whether the process exited
   */
  private static boolean awaitExit(
      Process process, Semaphore wake, Duration time, BooleanSupplier giveUp)
      throws InterruptedException {
    long deadline = System.nanoTime() + time.toNanos();
    while (process.isAlive()) {
      long left = deadline - System.nanoTime();
      if (giveUp.getAsBoolean() || left <= 0) {
        return false;
      }
      if (!wake.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        return !process.isAlive();
      }
    }
    return true;
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

  private static void finish(Future<?>... tasks) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_AFTER_EXIT.toNanos();
    for (Future<?> task : tasks) {
      try {
        task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        LOG.warn("a pipe of the run stayed open after the process ended; leaving it behind");
        task.cancel(true);
      } catch (ExecutionException e) {
        LOG.warn("draining a pipe failed", e.getCause());
      }
    }
  }
}
