package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code --project}, the project is found like git finds a repository, and paths on the
 * command line are taken from where the user stands (issue 12 parts 1 and 2). The user's standing
 * place is given to the real entry point explicitly: a test cannot change the JVM's directory.
 */
class ProjectDiscoveryTest {
  @TempDir Path project;
  private Path scripts;

  @BeforeEach
  void writeAProject() throws Exception {
    scripts = Files.createDirectories(project.resolve("scripts"));
    Files.writeString(
        scripts.resolve("hello.py"),
        "import json, sys\njson.dump({'greeting': 'hello'}, sys.stdout)\n");
  }

  @Test
  void aRunFromASubdirectoryUsesTheProjectAboveItAndStoresTheScriptFromTheRoot() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "timeout: 20s\n");

    Cli.Result result = Cli.runIn(scripts, "run", "hello.py", "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode record = Json.reader().readTree(result.out());
    assertThat(record.get("script").asText()).isEqualTo("scripts/hello.py");
    assertThat(record.get("project").asText()).isEqualTo(project.toString());
    assertThat(project.resolve(".stepguard")).isDirectory();
    assertThat(scripts.resolve(".stepguard")).doesNotExist();
  }

  @Test
  void anInputFileIsTakenFromWhereTheUserStands() throws Exception {
    Files.writeString(
        scripts.resolve("echo.py"),
        "import json, sys\njson.dump(json.load(sys.stdin), sys.stdout)\n");
    Files.writeString(scripts.resolve("in.json"), "{\"from\": \"scripts\"}");

    Cli.Result result =
        Cli.runIn(scripts, "run", "scripts/echo.py", "--input-file", "in.json", "--project", "..");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().strip()).isEqualTo("{\"from\":\"scripts\"}");
  }

  @Test
  void aStateDirectoryAloneMarksTheProject() throws Exception {
    Files.createDirectories(project.resolve(".stepguard"));
    Path deeper = Files.createDirectories(scripts.resolve("deeper"));

    Cli.Result result = Cli.runIn(deeper, "run", "../hello.py", "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(Json.reader().readTree(result.out()).get("script").asText())
        .isEqualTo("scripts/hello.py");
    assertThat(deeper.resolve(".stepguard")).doesNotExist();
    assertThat(scripts.resolve(".stepguard")).doesNotExist();
  }

  @Test
  void withoutAMarkerAboveTheCurrentDirectoryIsTheProject() throws Exception {
    assumeFalse(aMarkerAbove(project), "some directory above the temporary directory is a project");

    Cli.Result result = Cli.runIn(scripts, "doctor", "--json");

    JsonNode doctor = Json.reader().readTree(result.out());
    assertThat(doctor.at("/project/root").asText()).isEqualTo(scripts.toString());
    assertThat(doctor.at("/project/chosen").asText()).startsWith("the current directory");
  }

  @Test
  void aNamedProjectKeepsScriptPathsRelativeToIt() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "timeout: 20s\n");

    Cli.Result result =
        Cli.runIn(scripts, "run", "scripts/hello.py", "--json", "--project", project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(Json.reader().readTree(result.out()).get("script").asText())
        .isEqualTo("scripts/hello.py");
  }

  @Test
  void aRelativeProjectIsTakenFromWhereTheUserStands() throws Exception {
    Cli.Result result = Cli.runIn(scripts, "doctor", "--json", "--project", "..");

    JsonNode doctor = Json.reader().readTree(result.out());
    assertThat(doctor.at("/project/root").asText()).isEqualTo(project.toString());
    assertThat(doctor.at("/project/chosen").asText()).isEqualTo("named by --project");
  }

  @Test
  void doctorSaysWhichProjectWasFoundAndFromWhere() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "timeout: 20s\n");

    Cli.Result result = Cli.runIn(scripts, "doctor");

    assertThat(result.out()).contains("project: " + project + " (found from " + scripts + ")");
  }

  @Test
  void aWorkflowFileIsTakenFromWhereTheUserStands() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "timeout: 20s\n");
    Files.writeString(
        scripts.resolve("flow.yaml"),
        "name: f\nsteps:\n  - id: hello\n    script: scripts/hello.py\n");

    Cli.Result result = Cli.runIn(scripts, "workflow", "run", "flow.yaml", "--json");

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode run = Json.reader().readTree(result.out());
    assertThat(run.get("workflow").asText()).isEqualTo("scripts/flow.yaml");
    assertThat(run.get("project").asText()).isEqualTo(project.toString());
  }

  @Test
  void aRelativeInterpreterInStepguardYamlIsTheProjectsFromAnySubdirectory() throws Exception {
    Path venvBin = Files.createDirectories(project.resolve(".venv/bin"));
    Path python = Path.of(whichPython3());
    Files.createSymbolicLink(venvBin.resolve("python"), python);
    Files.writeString(project.resolve("stepguard.yaml"), "python: .venv/bin/python\n");

    Cli.Result doctor = Cli.runIn(scripts, "doctor", "--json");
    Cli.Result run = Cli.runIn(scripts, "run", "hello.py");

    JsonNode report = Json.reader().readTree(doctor.out());
    assertThat(report.at("/interpreter").asText())
        .isEqualTo(project.resolve(".venv/bin/python").toString());
    assertThat(report.at("/config/project/notApplied")).isEmpty();
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  private static String whichPython3() throws Exception {
    for (String directory : System.getenv("PATH").split(":")) {
      Path candidate = Path.of(directory, "python3");
      if (Files.isExecutable(candidate)) {
        return candidate.toRealPath().toString();
      }
    }
    throw new IllegalStateException("no python3 on the PATH");
  }

  private static boolean aMarkerAbove(Path directory) {
    for (Path up = directory.getParent(); up != null; up = up.getParent()) {
      if (Files.exists(up.resolve("stepguard.yaml"))
          || Files.isDirectory(up.resolve(".stepguard"))) {
        return true;
      }
    }
    return false;
  }
}
