package dev.stepguard.app.cli;

import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;

/**
 * The exit codes of stepguard, in one place: the table in the README's "What it looks like" lists
 * them for users.
 */
final class ExitCodes {
  /** A history command found nothing, or the history could not be used. */
  static final int NOT_DONE = 1;

  static final int USAGE = 2;
  static final int INTERNAL_ERROR = 70;

  /** Added to a signal's number for the exit code of a process it ended, as shells do. */
  static final int SIGNALLED = 128;

  private ExitCodes() {}

  /** The exit code of a run that ended as {@code status}, which nobody cancelled. */
  static int of(Status status) {
    return of(status, new Cancellation());
  }

  /**
   * The exit code of a run that ended as {@code status}; a CANCELLED one exits as the signal that
   * {@code cancellation} got (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
   */
  static int of(Status status, Cancellation cancellation) {
    // A switch expression: the compiler refuses it if a Status is left out.
    return switch (status) {
      case SUCCEEDED -> 0;
      case FAILED, CRASHED -> 1;
      case REJECTED -> 3;
      case TIMED_OUT -> 4;
      case INVALID_OUTPUT, LIMIT_EXCEEDED -> 5;
      case LAUNCH_FAILED -> 6;
      case CANCELLED ->
          SIGNALLED
              + cancellation
                  .requested()
                  .map(request -> Interrupts.SIGNALS.get(request.cause().replaceFirst("^SIG", "")))
                  .orElse(SIGINT);
      case RUNNING, ABANDONED ->
          throw new IllegalStateException("a run that just ended cannot be " + status);
    };
  }

  private static final int SIGINT = 2;
}
