package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.ScriptedProcessLauncher;

/** The same history commands on core's fakes, swapped in as a module set. */
class FakeHistoryCommandTest extends HistoryCommandCases {
  private final ScriptedProcessLauncher launcher = FakeAdaptersTest.Fakes.launcher();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore();
  private final RuntimeModuleFactory fakes = FakeAdaptersTest.Fakes.modules(launcher, store);

  @Override
  RuntimeModuleFactory adapters() {
    return fakes;
  }

  @Override
  void writeScripts() {
    // the fake launcher runs no files
  }
}
