package dev.stepguard.app.cli;

import dev.stepguard.core.model.Status;

/** The exit codes of CONTRACT.md section 4, in one place. */
final class ExitCodes {
  /** A history command found nothing, or the history could not be used. */
  static final int NOT_DONE = 1;

  static final int USAGE = 2;
  static final int INTERNAL_ERROR = 70;

  private ExitCodes() {}

  static int of(Status status) {
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
      default:
        return 1;
    }
  }
}
