package dev.stepguard.adapters.process;

import dev.stepguard.core.fixtures.ProcessLauncherContract;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The launcher contract against {@code process} isolation with warm interpreters. */
class WarmLocalProcessLauncherContractTest extends ProcessLauncherContract {
  private static final ProcessLauncher LAUNCHER =
      new LocalProcessLauncher(
          Pythons.onPath(System.getenv("PATH")), WarmLocalAdversarialCasesTest.WARM);

  @TempDir Path temp;

  @Override
  protected ProcessLauncher launcher() {
    return LAUNCHER;
  }

  @Override
  protected Path projectWith(Behaviour behaviour) {
    return new TestProject(temp).script(behaviour.script, Scripts.behaving(behaviour)).root();
  }
}
