package dev.stepguard.adapters.process;

import dev.stepguard.core.fixtures.ProcessLauncherContract;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessLauncherContractTest extends ProcessLauncherContract {
  private static final ProcessLauncher LAUNCHER =
      new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")));

  @TempDir Path temp;

  @Override
  protected ProcessLauncher launcher() {
    return LAUNCHER;
  }

  @Override
  protected Path projectWith(Behaviour behaviour) {
    String source;
    switch (behaviour) {
      case ECHO:
        source = Scripts.ECHO;
        break;
      case EXIT_3_WITH_TRACEBACK:
        source = Scripts.EXIT_3_WITH_TRACEBACK;
        break;
      case SLEEP_FOREVER:
        source = Scripts.SLEEP_FOREVER;
        break;
      case SEGFAULT:
        source = Scripts.SEGFAULT;
        break;
      default:
        source = Scripts.FLOOD_STDOUT;
        break;
    }
    return new TestProject(temp).script(behaviour.script, source).root();
  }
}
