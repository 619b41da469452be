package dev.stepguard.app.cli;

import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.HistoryUnavailableException;
import java.io.PrintWriter;

/**
 * What a run command says when the history cannot be opened before a run: nothing ran, since the
 * run would be recorded nowhere.
 */
final class Unrecorded {
  private Unrecorded() {}

  /** Says so on {@code err} and gives the exit code of a launch failure. */
  static int refuse(String what, HistoryUnavailableException e, PrintWriter err) {
    err.println(
        "stepguard: "
            + what
            + " was not run, and this attempt is recorded nowhere: "
            + e.getMessage());
    err.println("  run it again once the history opens; 'stepguard doctor' checks it");
    err.flush();
    return ExitCodes.of(Status.LAUNCH_FAILED);
  }
}
