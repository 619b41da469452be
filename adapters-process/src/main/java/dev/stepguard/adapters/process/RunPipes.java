package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Limits;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A run's stdout and stderr, drained concurrently with their caps from the moment it started. */
final class RunPipes {
  private static final Logger LOG = LoggerFactory.getLogger(RunPipes.class);

  /** Room kept in the stderr tail for the bootstrap's end line. */
  private static final int REPORT_ROOM = 1024;

  /** How much of the start of stderr is kept apart, for the bootstrap's first line. */
  private static final int HEAD = 1024;

  /** How long the pipes may stay open after the run's processes were all killed. */
  private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(2);

  private final AtomicBoolean overflow;
  private final StreamCaptures.Head out;
  private final StreamCaptures.Tail err;
  private final Future<?> outReader;
  private final Future<?> errReader;

  private RunPipes(
      AtomicBoolean overflow,
      StreamCaptures.Head out,
      StreamCaptures.Tail err,
      Future<?> outReader,
      Future<?> errReader) {
    this.overflow = overflow;
    this.out = out;
    this.err = err;
    this.outReader = outReader;
    this.errReader = errReader;
  }

  /**
   * Starts draining {@code process}'s pipes on {@code io}; once stdout passes its cap the overflow
   * is marked, then {@code onOverflow} runs.
   */
  static RunPipes drain(Process process, Limits limits, ExecutorService io, Runnable onOverflow) {
    AtomicBoolean overflow = new AtomicBoolean();
    StreamCaptures.Head out =
        new StreamCaptures.Head(
            limits.stdoutBytes(),
            () -> {
              overflow.set(true);
              onOverflow.run();
            });
    StreamCaptures.Tail err =
        new StreamCaptures.Tail((int) limits.stderrTailBytes() + REPORT_ROOM, HEAD);
    Future<?> outReader = io.submit(() -> out.drain(process.getInputStream()));
    Future<?> errReader = io.submit(() -> err.drain(process.getErrorStream()));
    return new RunPipes(overflow, out, err, outReader, errReader);
  }

  /** Whether stdout passed its cap. */
  boolean overflowed() {
    return overflow.get();
  }

  /**
   * Waits, a bounded time after the run ended, for {@code writer} and the drains to finish; a pipe
   * still open then is left behind.
   */
  void finish(Future<?> writer) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_AFTER_EXIT.toNanos();
    for (Future<?> task : new Future<?>[] {writer, outReader, errReader}) {
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

  /** What the runner saw of a run that ended with {@code exitValue}; call after {@link #finish}. */
  ProcessRunner.Observation observation(int exitValue, RunStop.Stopped stopped) {
    return new ProcessRunner.Observation(
        exitValue,
        stopped.deadlinePassed(),
        stopped.cancelled(),
        stopped.killedBy(),
        overflow.get(),
        out.bytes(),
        err.head(),
        err.bytes(),
        err.whole());
  }
}
