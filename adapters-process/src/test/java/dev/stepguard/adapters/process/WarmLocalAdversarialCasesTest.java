package dev.stepguard.adapters.process;

import dev.stepguard.core.port.ProcessLauncher;

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
}
