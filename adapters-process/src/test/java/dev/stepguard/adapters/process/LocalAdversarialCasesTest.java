package dev.stepguard.adapters.process;

import dev.stepguard.core.port.ProcessLauncher;

/** SECURITY.md's cases 1-25 and 29 against {@code process} isolation. */
class LocalAdversarialCasesTest extends AdversarialCases {
  private static final ProcessLauncher LAUNCHER =
      new LocalProcessLauncher(new PythonLocator("python3", System.getenv("PATH")));

  @Override
  ProcessLauncher launcher() {
    return LAUNCHER;
  }
}
