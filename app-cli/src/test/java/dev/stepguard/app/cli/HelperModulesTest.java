package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.adapters.process.SandboxLauncherModule;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pythonPath}: a script in {@code scripts/} imports a helper module from the project's
 * {@code lib/} at both isolation levels, with the script's own directory first on {@code sys.path},
 * then the listed directories in order, then the standard library (issue 12 part 3).
 */
class HelperModulesTest {
  @TempDir Path project;
  @TempDir Path outside;

  @BeforeEach
  void writeAProjectWithHelpers() throws Exception {
    Files.createDirectories(project.resolve("scripts"));
    Files.createDirectories(project.resolve("lib"));
    Files.createDirectories(project.resolve("vendor"));
    write("lib/mylib.py", "def greet(name):\n    return 'Hello, ' + name + '!'\n");
    write("lib/shadowed.py", "WHERE = 'lib'\n");
    write("vendor/shadowed.py", "WHERE = 'vendor'\n");
    write("vendor/extra.py", "WHERE = 'vendor'\n");
    write("scripts/local.py", "WHERE = 'scripts'\n");
    write("lib/local.py", "WHERE = 'lib'\n");
    write(
        "scripts/use.py",
        "import json, os, sys\n"
            + "import mylib, shadowed, extra, local\n"
            + "json.dump({'greeting': mylib.greet('Ada'), 'shadowed': shadowed.WHERE,"
            + " 'extra': extra.WHERE, 'local': local.WHERE, 'path': sys.path,"
            + " 'stdlib': os.path.dirname(os.__file__)}, sys.stdout)\n");
  }

  private void write(String name, String text) throws Exception {
    Files.writeString(project.resolve(name), text);
  }

  private Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--project", project.toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void aScriptImportsAHelperModuleFromTheProjectsLibInProcessIsolation() throws Exception {
    write("stepguard.yaml", "pythonPath: [lib, vendor]\n");

    Cli.Result result = run("run", "scripts/use.py", "--isolation", "process");

    assertImportsInOrder(result);
  }

  @Test
  void aScriptImportsAHelperModuleFromTheProjectsLibInTheSandbox() throws Exception {
    assumeTrue(
        SandboxLauncherModule.unavailableBecause(project, List.of()).isEmpty(),
        "bubblewrap does not work here");
    write("stepguard.yaml", "pythonPath: [lib, vendor]\n");

    Cli.Result result = run("run", "scripts/use.py", "--isolation", "sandbox", "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode record = Json.reader().readTree(result.out());
    assertThat(record.get("isolation").asText()).isEqualTo("sandbox");
    assertImportsInOrder(
        new Cli.Result(result.exitCode(), record.get("output").toString(), result.err()));
  }

  private void assertImportsInOrder(Cli.Result result) throws Exception {
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).as("pythonPath loosens nothing: no notice").isEmpty();
    JsonNode output = Json.reader().readTree(result.out());
    assertThat(output.get("greeting").asText()).isEqualTo("Hello, Ada!");
    assertThat(output.get("local").asText())
        .as("the script's directory first")
        .isEqualTo("scripts");
    assertThat(output.get("shadowed").asText()).as("then pythonPath in order").isEqualTo("lib");
    assertThat(output.get("extra").asText()).isEqualTo("vendor");
    Path root = project.toRealPath();
    List<String> path = new ArrayList<>();
    output.get("path").forEach(entry -> path.add(entry.asText()));
    assertThat(path.subList(0, 3))
        .containsExactly(
            root.resolve("scripts").toString(),
            root.resolve("lib").toString(),
            root.resolve("vendor").toString());
    assertThat(path.indexOf(output.get("stdlib").asText()))
        .as("the standard library after the project's directories")
        .isGreaterThan(2);
  }

  @Test
  void withoutPythonPathOnlyTheScriptsDirectoryIsSearched() throws Exception {
    Cli.Result result = run("run", "scripts/use.py", "--isolation", "process");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("ModuleNotFoundError", "mylib");
  }

  @Test
  void theOperatorConfigNamesDirectoriesOfEachProject() throws Exception {
    Path config = outside.resolve("config.yaml");
    Files.writeString(config, "pythonPath: [lib, vendor]\n");

    Cli.Result result =
        Cli.run(
            Cli.operator(config),
            RuntimeModuleFactory.production(),
            "run",
            "scripts/use.py",
            "--isolation",
            "process",
            "--project",
            project.toString());

    assertImportsInOrder(result);
  }

  @Test
  void doctorSaysWhichDirectoriesAreOnThePath() throws Exception {
    write("stepguard.yaml", "pythonPath: [lib/, ./vendor]\n");

    JsonNode doctor = Json.reader().readTree(run("doctor", "--json").out());
    Cli.Result text = run("doctor");

    assertThat(doctor.get("pythonPath").toString()).isEqualTo("[\"lib\",\"vendor\"]");
    assertThat(text.out()).contains("pythonPath: lib, vendor");
  }

  @Test
  void theProjectRootItselfMayBeListed() throws Exception {
    write("stepguard.yaml", "pythonPath: [.]\n");
    write(
        "scripts/rooted.py",
        "import json, sys\nfrom lib import mylib\n"
            + "json.dump({'greeting': mylib.greet('Ada')}, sys.stdout)\n");

    Cli.Result result = run("run", "scripts/rooted.py", "--isolation", "process");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("Hello, Ada!");
  }

  @Test
  void anEntryThatLeadsOutThroughASymbolicLinkIsRefusedAtItsPlace() throws Exception {
    Files.createDirectories(outside.resolve("helpers"));
    Files.createSymbolicLink(project.resolve("helpers"), outside.resolve("helpers"));
    write("stepguard.yaml", "timeout: 10s\npythonPath: [lib, helpers]\n");

    Cli.Result result = run("run", "scripts/use.py");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            project.resolve("stepguard.yaml")
                + ":2:1: pythonPath entry 'helpers' leads outside the project through a symbolic"
                + " link")
        .doesNotContain("java");
  }

  @Test
  void aSymbolicLinkThatStaysInsideTheProjectIsFollowed() throws Exception {
    Files.createSymbolicLink(project.resolve("helpers"), Path.of("lib"));
    write("stepguard.yaml", "pythonPath: [helpers, vendor]\n");

    Cli.Result result = run("run", "scripts/use.py", "--isolation", "process");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("Hello, Ada!");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pythonPath: [../outside]|pythonPath entry '../outside' leads outside the project with '..'",
        "pythonPath: [lib/../../x]|pythonPath entry 'lib/../../x' leads outside the project",
        "pythonPath: [/usr/lib]|pythonPath entry '/usr/lib' is absolute",
        "pythonPath: [missing]|pythonPath entry 'missing' does not exist in the project",
        "pythonPath: [scripts/use.py]|pythonPath entry 'scripts/use.py' is not a directory",
        "pythonPath: [.stepguard]|pythonPath entry '.stepguard' is inside stepguard's own",
        "pythonPath: ['']|pythonPath entry '' is empty",
        "pythonPath: [~]|pythonPath entry '' is empty",
        "pythonPath: lib|pythonPath takes a list, not a single value",
      })
  void aBadEntryIsRefusedWithFileLineAndColumn(String example) throws Exception {
    String[] parts = example.split("\\|");
    write("stepguard.yaml", "timeout: 10s\n" + parts[0] + "\n");

    Cli.Result result = run("run", "scripts/use.py");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(result.err())
        .contains(project.resolve("stepguard.yaml") + ":2:1: " + parts[1])
        .doesNotContain("java", "Exception");
  }

  @Test
  void aBadEntryInTheOperatorConfigIsRefusedAtItsPlaceThere() throws Exception {
    Path config = outside.resolve("config.yaml");
    Files.writeString(config, "pythonPath: [missing]\n");

    Cli.Result result =
        Cli.run(
            Cli.operator(config),
            RuntimeModuleFactory.production(),
            "run",
            "scripts/use.py",
            "--project",
            project.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(config + ":1:1: pythonPath entry 'missing' does not exist");
  }
}
