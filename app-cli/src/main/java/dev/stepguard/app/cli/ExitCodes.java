package dev.stepguard.app.cli;

import dev.stepguard.core.model.Requester;
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

  /**
   * The exit code of a run that ended as {@code status}, as {@link #of(Status, int)}, except that a
   * run CANCELLED through {@code cancelledThrough} {@link Requester.Channel#SERVER} (a server that
   * stopped in the middle of a run handed to it) without any signal to this command line exits
   * {@link #INTERNAL_ERROR}: stepguard could not finish the run, nobody here asked it to stop.
   *
   * @param cancelledThrough the channel of the cancel request, null when there was none
   */
  static int of(Status status, int signal, Requester.Channel cancelledThrough) {
    if (status == Status.CANCELLED
        && signal == NO_SIGNAL
        && cancelledThrough == Requester.Channel.SERVER) {
      return INTERNAL_ERROR;
    }
    return of(status, signal);
  }

  /** No signal arrived during the run. */
  static final int NO_SIGNAL = 0;

  private static final int SIGINT = 2;
}
