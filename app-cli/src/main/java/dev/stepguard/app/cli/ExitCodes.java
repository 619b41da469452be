package dev.stepguard.app.cli;

import dev.stepguard.core.model.Status;

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
    return of(status, NO_SIGNAL);
  }

  /**
   * The exit code of a run that ended as {@code status}; a CANCELLED one exits as the signal
   * numbered {@code signal} that cancelled it (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
   */
  static int of(Status status, int signal) {
    // A switch expression: the compiler refuses it if a Status is left out.
    return switch (status) {
      case SUCCEEDED -> 0;
      case FAILED, CRASHED -> 1;
      case REJECTED -> 3;
      case TIMED_OUT -> 4;
      case INVALID_OUTPUT, LIMIT_EXCEEDED -> 5;
      case LAUNCH_FAILED -> 6;
      case CANCELLED -> SIGNALLED + (signal == NO_SIGNAL ? SIGINT : signal);
      case RUNNING, ABANDONED ->
          throw new IllegalStateException("a run that just ended cannot be " + status);
    };
  }

  /** No signal arrived during the run. */
  static final int NO_SIGNAL = 0;

  private static final int SIGINT = 2;
}
