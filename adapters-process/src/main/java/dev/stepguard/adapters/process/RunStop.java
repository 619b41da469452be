package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Signals;
import dev.stepguard.core.port.Cancellation;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * When and how a run is stopped: at its deadline or on a cancellation request, SIGTERM to the tree
 * and SIGKILL once the grace period is over; an urgent cancellation SIGKILLs at once.
 */
final class RunStop {
  /**
   * How the runner ended the run, if it did.
   *
   * @param killedBy the signal the runner ended the run with, or 0
   */
  record Stopped(boolean deadlinePassed, boolean cancelled, int killedBy) {
    /** The run ended by itself (or by its output cap). */
    static final Stopped NOT = new Stopped(false, false, 0);

    /** Cancelled before the script got its input: killed with none of it run (signal 0). */
    static final Stopped BEFORE_INPUT = new Stopped(false, true, 0);
  }

  private final Process process;
  private final ProcessHandle root;
  private final Set<Long> sessions;
  private final Cancellation cancellation;
  private final Predicate<ProcessHandle> terminable;
  private final Semaphore wake = new Semaphore(0);

  /**
   * A policy for {@code process}, whose sessions are gathered into {@code sessions} before each
   * signal; on timeout SIGTERM goes to the processes {@code terminable} accepts.
   */
  RunStop(
      Process process,
      Set<Long> sessions,
      Cancellation cancellation,
      Predicate<ProcessHandle> terminable) {
    this.process = Objects.requireNonNull(process, "process");
    this.root = process.toHandle();
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.cancellation = Objects.requireNonNull(cancellation, "cancellation");
    this.terminable = Objects.requireNonNull(terminable, "terminable");
  }

  /** Wakes the waits on every cancellation request and when the process exits. */
  Cancellation.Subscription listen() {
    Cancellation.Subscription subscription = cancellation.onRequest(wake::release);
    process.onExit().thenRun(wake::release);
    return subscription;
  }

  /** Whether the run was asked to stop. */
  boolean requested() {
    return cancellation.requested().isPresent();
  }

  /**
   * Waits up to {@code timeout} for the run to end, then stops it if it is still going and its
   * output did not overflow; an overflowed run is killed.
   */
  Stopped await(Duration timeout, Duration grace, BooleanSupplier overflowed)
      throws InterruptedException {
    boolean exited = awaitExit(process, wake, timeout, this::requested);
    boolean cancelled = !exited && !overflowed.getAsBoolean() && requested();
    boolean deadlinePassed = !exited && !overflowed.getAsBoolean() && !cancelled;
    if (cancelled || deadlinePassed) {
      return new Stopped(deadlinePassed, cancelled, stop(grace));
    }
    if (overflowed.getAsBoolean()) {
      ProcessTree.kill(root);
    }
    return Stopped.NOT;
  }

  /**
   * Ends a run that is still going: SIGTERM to the tree, then SIGKILL once the grace period is over
   * or at once when the cancellation is urgent.
   *
   * @return the signal that ended it
   */
  private int stop(Duration grace) throws InterruptedException {
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
        // Not woken within the time left: the time is up unless the process exited just now.
        return !process.isAlive();
      }
    }
    return true;
  }
}
