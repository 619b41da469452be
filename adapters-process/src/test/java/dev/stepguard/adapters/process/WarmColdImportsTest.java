package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script imports the same modules whether it starts cold or warm. A warm interpreter has loaded
 * standard modules ahead (json, re, enum, tempfile...); a module beside the script named like one
 * of them is what the script imports if it would be cold (json here), while what `site`, its {@code
 * .pth} files and the bootstrap import before the script's directory is on sys.path comes from the
 * standard library either way (atexit; enum where a {@code .pth} file needs it).
 */
class WarmColdImportsTest {
  private static final Bubblewrap BUBBLEWRAP = new Bubblewrap(System.getenv("PATH"));
  private static final ProcessSettings SANDBOX =
      new ProcessSettings(Path.of("/"), "python3", List.of());

  @TempDir Path temp;

  /** Each module the script imports, and whether it is the project's file. */
  private static final String WHICH =
      "import sys, json, enum, atexit\n"
          + "root = sys.argv[0].rsplit('/', 1)[0]\n"
          + "names = ('json', 'enum', 'atexit')\n"
          + "mine = {n: (getattr(sys.modules[n], '__file__', '') or '').startswith(root)"
          + " for n in names}\n"
          + "sys.stdout.write('{%s}' % ', '.join('\"%s\": %s' % (n, str(mine[n]).lower())"
          + " for n in names))\n";

  private Path project() throws Exception {
    Path root = Files.createDirectories(temp.resolve("p"));
    Files.writeString(root.resolve("json.py"), "from _json import *\nloads = None\n");
    Files.createDirectories(root.resolve("enum"));
    Files.writeString(root.resolve("enum/__init__.py"), "Enum = None\n");
    Files.writeString(root.resolve("atexit.py"), "raise SystemExit('the project atexit.py')\n");
    Files.writeString(root.resolve("which.py"), WHICH);
    return root;
  }

  @Test
  void aScriptImportsTheSameModulesColdAndFromAForkServer() throws Exception {
    Path root = project();
    ProcessLauncher cold = new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")));
    ProcessLauncher warm =
        new LocalProcessLauncher(
            Pythons.onPath(System.getenv("PATH")), new ProcessSettings.Warm(true, 1));

    JsonNode coldly = output(root, cold);
    output(root, warm);

    assertThat(output(root, warm)).isEqualTo(coldly);
    assertThat(coldly.get("json").asBoolean()).as("the project's json.py, cold").isTrue();
    assertThat(coldly.get("atexit").asBoolean()).as("the bootstrap's own atexit").isFalse();
  }

  @Test
  void aScriptImportsTheSameModulesColdAndInASandboxStartedAhead() throws Exception {
    assumeTrue(
        BUBBLEWRAP.probe() instanceof Bubblewrap.Probe.Works,
        () -> "bubblewrap does not work here: " + BUBBLEWRAP.check().detail());
    Path root = project();
    ProcessLauncher cold =
        new SandboxProcessLauncher(Pythons.onPath(System.getenv("PATH")), BUBBLEWRAP, SANDBOX);
    SandboxProcessLauncher warm =
        new SandboxProcessLauncher(
            Pythons.onPath(System.getenv("PATH")), BUBBLEWRAP, SANDBOX, CgroupHost.current(), 1);
    try {
      JsonNode coldly = output(root, cold);
      output(root, warm);

      assertThat(output(root, warm)).isEqualTo(coldly);
      assertThat(coldly.get("json").asBoolean()).as("the project's json.py, cold").isTrue();
      assertThat(coldly.get("atexit").asBoolean()).as("the bootstrap's own atexit").isFalse();
    } finally {
      warm.close();
    }
  }

  private static JsonNode output(Path root, ProcessLauncher launcher) {
    ExecutionRecord record =
        new ScriptExecutor(
                new FilesystemPathPolicy(root),
                launcher,
                new InMemoryExecutionStore(),
                new ProcfsProcessTable(),
                Redactor.defaults(),
                Clock.systemUTC())
            .execute(
                ExecutionRequest.standalone(
                    "which.py",
                    "{}",
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(1),
                    Limits.defaults(21_000),
                    Requester.cli("test")));
    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    return record.output();
  }
}
