package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Module;
import dev.stepguard.adapters.persistence.HistorySettings;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The history commands on the real adapters: real Python, the project's real H2 file. */
class HistoryCommandTest extends HistoryCommandCases {
  static final String FAIL = "import sys\nprint('Traceback: boom', file=sys.stderr)\nsys.exit(3)\n";

  @Override
  RuntimeModuleFactory adapters() {
    return RuntimeModuleFactory.production();
  }

  @Override
  void writeScripts() throws Exception {
    Files.writeString(
        project.resolve("hello.py"),
        "import json, sys\nname = json.load(sys.stdin).get('name', 'world')\n"
            + "json.dump({'greeting': 'Hello, ' + name + '!'}, sys.stdout)\n");
    Files.writeString(project.resolve("fail.py"), FAIL);
  }

  @Test
  void readsTheHistoryOfASandboxedProjectWithoutBuildingALauncher() throws Exception {
    cli("run", "hello.py", "--isolation", "process");
    Files.writeString(project.resolve("stepguard.yaml"), "isolation: sandbox\n");
    RuntimeModuleFactory production = RuntimeModuleFactory.production();
    RuntimeModuleFactory noLauncher =
        new RuntimeModuleFactory() {
          @Override
          public Module create(Path projectRoot, Settings settings) {
            return production.create(projectRoot, settings);
          }

          @Override
          public Module launcher(Path projectRoot, Settings settings) {
            throw new IllegalStateException("a history command built a launcher");
          }
        };
    String[] where = {"--project", project.toString()};

    Cli.Result list =
        Cli.run(noLauncher, concat(new String[] {"history", "list", "--json"}, where));
    String id = json(list).get("items").get(0).get("id").asText();
    Cli.Result show = Cli.run(noLauncher, concat(new String[] {"history", "show", id}, where));
    Cli.Result prune =
        Cli.run(noLauncher, concat(new String[] {"history", "prune", "--older-than", "1d"}, where));
    Cli.Result run = Cli.run(noLauncher, concat(new String[] {"run", "hello.py"}, where));

    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(prune.exitCode()).as(prune.err()).isZero();
    assertThat(run.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(run.err()).contains("a history command built a launcher");
  }

  private static String[] concat(String[] first, String[] second) {
    String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }

  @Test
  void recordsTheHashOfTheScriptThatRan() throws Exception {
    String id = Json.reader().readTree(cli("run", "fail.py", "--json").out()).get("id").asText();

    JsonNode record = json(cli("history", "show", id, "--json"));

    String expected =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(FAIL.getBytes()));
    assertThat(record.get("scriptSha256").asText()).isEqualTo(expected);
  }

  @Test
  void keepsTheHistoryAndItsCredentialsPrivate() throws Exception {
    cli("run", "hello.py");

    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(project.resolve(".stepguard"))))
        .isEqualTo("rwx------");
    assertThat(project.resolve(".stepguard/history.credentials")).doesNotExist();
    Path credentials = HistorySettings.forProject(project).credentialsFile().orElseThrow();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(credentials)).containsPattern("password=[A-Za-z0-9_-]{40,}");
  }
}
