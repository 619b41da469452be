package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RED TEAM (expected to FAIL while warm and cold runs differ): a module beside the script that is
 * named like a preloaded standard one (json, re, enum, typing, tempfile...) is what the script
 * imports when it starts cold, but the standard library's when it starts warm (the preload put the
 * standard one in sys.modules before the run). The same script then behaves differently by whether
 * a warm interpreter or sandbox was ready.
 */
class WarmColdImportsTest {
  @TempDir Path temp;

  @Test
  void aScriptImportsTheSameJsonModuleColdAndWarm() throws Exception {
    Path root = Files.createDirectories(temp.resolve("p"));
    Files.writeString(root.resolve("json.py"), "MINE = True\nfrom _json import *\n");
    Files.writeString(
        root.resolve("which.py"),
        "import sys, json\n"
            + "sys.stdout.write('{\"mine\": %s}' % ('true' if hasattr(json, 'MINE') else 'false'))\n");
    ProcessLauncher cold = new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")));
    ProcessLauncher warm =
        new LocalProcessLauncher(
            Pythons.onPath(System.getenv("PATH")), new ProcessSettings.Warm(true, 1));

    boolean coldMine = run(root, cold).output().get("mine").asBoolean();
    run(root, warm);
    boolean warmMine = run(root, warm).output().get("mine").asBoolean();

    assertThat(warmMine).as("project json.py used warm (cold: %s)", coldMine).isEqualTo(coldMine);
  }

  private static ExecutionRecord run(Path root, ProcessLauncher launcher) {
    ScriptExecutor executor =
        new ScriptExecutor(
            new FilesystemPathPolicy(root),
            launcher,
            new InMemoryExecutionStore(),
            new ProcfsProcessTable(),
            Redactor.defaults(),
            Clock.systemUTC());
    return executor.execute(
        ExecutionRequest.standalone(
            "which.py",
            "{}",
            Duration.ofSeconds(20),
            Duration.ofSeconds(1),
            Limits.defaults(21_000),
            Requester.cli("test")));
  }
}
