package dev.stepguard.adapters.process;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.fixtures.ProcessLauncherContract;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The launcher contract on {@code sandbox} isolation; skipped, with the reason, without bwrap. */
class SandboxProcessLauncherContractTest extends ProcessLauncherContract {
  private static final Bubblewrap BUBBLEWRAP = new Bubblewrap(System.getenv("PATH"));
  private static final ProcessLauncher LAUNCHER =
      new SandboxProcessLauncher(
          Pythons.onPath(System.getenv("PATH")),
          BUBBLEWRAP,
          new ProcessSettings(Path.of("/"), "python3", List.of()));

  @TempDir Path temp;

  @BeforeAll
  static void needsBubblewrap() {
    assumeTrue(
        BUBBLEWRAP.probe() instanceof Bubblewrap.Probe.Works,
        () -> "bubblewrap does not work here: " + BUBBLEWRAP.check().detail());
  }

  @Override
  protected ProcessLauncher launcher() {
    return LAUNCHER;
  }

  @Override
  protected Path projectWith(Behaviour behaviour) {
    return new TestProject(temp).script(behaviour.script, Scripts.behaving(behaviour)).root();
  }
}
