package dev.stepguard.adapters.process;

import dev.stepguard.core.port.ProcessLauncher;

/** Cases 30 and 32 against {@code process} isolation. */
class LocalProjectInterpreterTest extends ProjectInterpreterCases {
  @Override
  ProcessLauncher launcher(PythonLocator python) {
    return new LocalProcessLauncher(python);
  }
}
