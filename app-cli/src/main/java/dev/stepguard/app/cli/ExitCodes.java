package dev.stepguard.app.cli;

import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;

/** The exit codes of CONTRACT.md section 4, in one place. */
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
    switch (status) {
      case SUCCEEDED:
        return 0;
      case FAILED:
      case CRASHED:
        return 1;
      case REJECTED:
        return 3;
      case TIMED_OUT:
        return 4;
      case INVALID_OUTPUT:
      case LIMIT_EXCEEDED:
        return 5;
      case LAUNCH_FAILED:
        return 6;
      case CANCELLED:
        return SIGNALLED
            + cancellation
                .requested()
                .map(request -> Interrupts.SIGNALS.get(request.cause().replaceFirst("^SIG", "")))
                .orElse(SIGINT);
      case RUNNING:
      case ABANDONED:
        throw new IllegalStateException("a run that just ended cannot be " + status);
    }
    throw new IllegalArgumentException("no exit code for " + status);
  }

  private static final int SIGINT = 2;
}
