package dev.stepguard.adapters.process;

import dev.stepguard.core.port.ProcessLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Every adversarial case of {@link AdversarialCases} against {@code process} isolation, warm. */
class WarmLocalAdversarialCasesTest extends AdversarialCases {
  static final ProcessSettings.Warm WARM = new ProcessSettings.Warm(true, 1);

  private static final ProcessLauncher LAUNCHER =
      new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")), WARM);

  @Override
  ProcessLauncher launcher() {
    return LAUNCHER;
  }

  @Override
  ProcessLauncher launcher(PythonLocator python) {
    return new LocalProcessLauncher(python, WARM);
  }

  /**
   * The descendants that are neither fork servers nor their children waiting for a run: both stay
   * in stepguard's session (a run's process starts its own at once) and run the fork server's code.
   */
  @Override
  long strayDescendants() {
    long session = ProcessIdentities.sessionOf(ProcessHandle.current().pid()).orElseThrow();
    return ProcessHandle.current()
        .descendants()
        .filter(
            process ->
                ProcessIdentities.sessionOf(process.pid()).orElse(-1) != session
                    || !commandLine(process).contains("stepguard fork server"))
        .count();
  }

  private static String commandLine(ProcessHandle process) {
    try {
      return new String(
          Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
