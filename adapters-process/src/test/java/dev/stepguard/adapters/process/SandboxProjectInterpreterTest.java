package dev.stepguard.adapters.process;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.port.ProcessLauncher;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/** Cases 30 and 32 against {@code sandbox} isolation; skipped where bubblewrap cannot run. */
class SandboxProjectInterpreterTest extends ProjectInterpreterCases {
  private static final Bubblewrap BUBBLEWRAP = new Bubblewrap(System.getenv("PATH"));

  @BeforeAll
  static void needsBubblewrap() {
    assumeTrue(
        BUBBLEWRAP.probe() instanceof Bubblewrap.Probe.Works,
        () -> "bubblewrap does not work here: " + BUBBLEWRAP.check().detail());
  }

  @Override
  ProcessLauncher launcher(PythonLocator python) {
    return new SandboxProcessLauncher(
        python, BUBBLEWRAP, new ProcessSettings(project.root(), "python3", List.of()));
  }
}
