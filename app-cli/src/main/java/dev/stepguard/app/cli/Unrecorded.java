package dev.stepguard.app.cli;

import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.HistoryUnavailableException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a run command says when the history cannot be opened before a run: nothing ran, since the
 * run would be recorded nowhere.
 */
final class Unrecorded {
  private Unrecorded() {}

  /**
   * Gets {@code readyToRun} (which opens the history and closes abandoned runs first); if the
   * history cannot be opened, says so on {@code err} and gives the exit code of a launch failure.
   */
  static Optional<Integer> refusal(Supplier<?> readyToRun, String what, PrintWriter err) {
    try {
      readyToRun.get();
      return Optional.empty();
    } catch (HistoryUnavailableException e) {
      err.println(
          "stepguard: "
              + what
              + " was not run, and this attempt is recorded nowhere: "
              + e.getMessage());
      err.println("  run it again once the history opens; 'stepguard doctor' checks it");
      err.flush();
      return Optional.of(ExitCodes.of(Status.LAUNCH_FAILED));
    }
  }
}
