package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.port.ProcessLauncher;

/** The whole-run caps against {@code process} isolation. */
class LocalRunCapsTest extends RunCapCases {
  private static final ProcessLauncher LAUNCHER =
      new LocalProcessLauncher(new PythonLocator("python3", System.getenv("PATH")));

  @Override
  ProcessLauncher launcher() {
    return LAUNCHER;
  }

  @Override
  ResourceCap uncappedProcesses() {
    return ResourceCap.NONE;
  }
}
