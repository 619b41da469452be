package dev.stepguard.adapters.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child of a fork server seen as a {@link Process}, so that the runner, the stop policy and the
 * cgroups treat it as a started child: its streams are the three Unix socket connections it made to
 * stepguard (closing stdin's is the end of input, as closing a pipe is; stdout and stderr end once
 * every process holding them is gone), its signals go through a {@link ProcessHandle} of its pid
 * (whose start time the JDK checks before each signal), and its exit status is the one the fork
 * server reported after reaping it.
 */
final class ForkedProcess extends Process {
  private final ProcessHandle handle;
  private final List<SocketChannel> streams;
  private final OutputStream stdin;
  private final InputStream stdout;
  private final InputStream stderr;
  private final CompletableFuture<Integer> exit;
  private final Optional<RunCgroup> cgroup;

  /** The status of a child that ended without a report from its fork server: as killed. */
  static final int UNREPORTED = 128 + 9;

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration LATE_REPORT = Duration.ofSeconds(2);

  /** Watches children whose end somebody waits for without blocking (one thread for all). */
  private static final ScheduledExecutorService WATCHER =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "stepguard-forked-exits");
            thread.setDaemon(true);
            return thread;
          });

  private ScheduledFuture<?> watch;

  /**
   * A child with {@code handle}, its {@code streams} (stdin, stdout, stderr) and the status its
   * fork server will report.
   */
  ForkedProcess(
      ProcessHandle handle, List<SocketChannel> streams, CompletableFuture<Integer> exit) {
    this(handle, streams, exit, Optional.empty());
  }

  /**
   * A child as above, moved into {@code cgroup} ({@link RunCgroup#spare}) while it waits for a run,
   * which adopts them; they are closed with the child if it never takes one.
   */
  ForkedProcess(
      ProcessHandle handle,
      List<SocketChannel> streams,
      CompletableFuture<Integer> exit,
      Optional<RunCgroup> cgroup) {
    this.cgroup = Objects.requireNonNull(cgroup, "cgroup");
    this.handle = Objects.requireNonNull(handle, "handle");
    this.streams = List.copyOf(streams);
    this.exit = Objects.requireNonNull(exit, "exit");
    this.stdin = Channels.newOutputStream(this.streams.get(0));
    this.stdout = Channels.newInputStream(this.streams.get(1));
    this.stderr = Channels.newInputStream(this.streams.get(2));
  }

  /**
   * Closes stepguard's ends of the streams: a child waiting for its run then reads the end; and
   * closes its cgroups, which kills it if it is still there.
   */
  void abandon() {
    for (SocketChannel stream : streams) {
      try {
        stream.close();
      } catch (IOException e) {
        // Closing is all that is wanted; a failure leaves nothing to do.
      }
    }
    cgroup.ifPresent(RunCgroup::close);
  }

  /** The cgroups the child waits in, which its run adopts; empty if it waits in stepguard's. */
  Optional<RunCgroup> cgroup() {
    return cgroup;
  }

  @Override
  public OutputStream getOutputStream() {
    return stdin;
  }

  @Override
  public InputStream getInputStream() {
    return stdout;
  }

  @Override
  public InputStream getErrorStream() {
    return stderr;
  }

  @Override
  public int waitFor() throws InterruptedException {
    while (!waitFor(1, TimeUnit.SECONDS)) {
      // Until it ends, reported or not.
    }
    return exitValue();
  }

  /**
   * Waits for the fork server's report, but never depends on it alone: a child that is gone or a
   * zombie (a fork server that a script stopped or blocked reaps nothing and reports nothing) has
   * ended, its status unreported (137, as killed), after a short wait for a late report.
   */
  @Override
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      long left = deadline - System.nanoTime();
      try {
        exit.get(Math.max(0, Math.min(left, POLL.toNanos())), TimeUnit.NANOSECONDS);
        return true;
      } catch (TimeoutException e) {
        if (ended()) {
          try {
            exit.get(LATE_REPORT.toMillis(), TimeUnit.MILLISECONDS);
          } catch (TimeoutException late) {
            exit.complete(UNREPORTED);
          } catch (ExecutionException failed) {
            throw new IllegalStateException(failed.getCause());
          }
          return true;
        }
        if (left <= 0) {
          return false;
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }

  /** Whether the child no longer runs: gone, or a zombie its fork server has not reaped. */
  private boolean ended() {
    return !handle.isAlive() || "ZX".indexOf(ProcessIdentities.state(handle.pid())) >= 0;
  }

  @Override
  public int exitValue() {
    if (!exit.isDone() && ended()) {
      exit.complete(UNREPORTED);
    }
    if (!exit.isDone()) {
      throw new IllegalThreadStateException("process " + handle.pid() + " has not exited");
    }
    return exit.join();
  }

  @Override
  public boolean isAlive() {
    return !exit.isDone() && !ended();
  }

  @Override
  public void destroy() {
    handle.destroy();
  }

  @Override
  public Process destroyForcibly() {
    handle.destroyForcibly();
    return this;
  }

  @Override
  public boolean supportsNormalTermination() {
    return true;
  }

  @Override
  public long pid() {
    return handle.pid();
  }

  @Override
  public ProcessHandle toHandle() {
    return handle;
  }

  /** Completes once the child ended, reported or not (see {@link #waitFor(long, TimeUnit)}). */
  @Override
  public CompletableFuture<Process> onExit() {
    synchronized (this) {
      if (watch == null && !exit.isDone()) {
        watch =
            WATCHER.scheduleWithFixedDelay(
                () -> {
                  if (exit.isDone()) {
                    throw new CancellationException("ended");
                  }
                  if (ended()) {
                    WATCHER.schedule(
                        () -> exit.complete(UNREPORTED),
                        LATE_REPORT.toMillis(),
                        TimeUnit.MILLISECONDS);
                    throw new CancellationException("ended");
                  }
                },
                POLL.toMillis(),
                POLL.toMillis(),
                TimeUnit.MILLISECONDS);
      }
    }
    return exit.thenApply(status -> this);
  }
}
