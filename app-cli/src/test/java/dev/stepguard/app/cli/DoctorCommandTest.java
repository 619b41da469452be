package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
  @TempDir Path project;
  @TempDir Path operatorDirectory;
  private Path operatorConfig;

  @org.junit.jupiter.api.BeforeEach
  void placeTheOperatorConfig() {
    operatorConfig = operatorDirectory.resolve("config.yaml");
  }

  private Cli.Result doctorWithOperatorConfig() {
    return Cli.run(
        Cli.operator(operatorConfig),
        RuntimeModuleFactory.production(),
        "doctor",
        "--project",
        project.toString());
  }

  @Test
  void saysWhichOperatorConfigAppliesAndWhatTheProjectFileMayNotDo() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "isolation: process\n");

    Cli.Result result = doctorWithOperatorConfig();

    assertThat(result.out())
        .contains(
            "operator config: " + operatorConfig + " (absent)",
            "stepguard.yaml: not trusted: applied where it tightens only; not applied:",
            "stepguard.yaml:1:1: 'isolation' is not applied");
    // the list stands under its heading, before the next line of its own
    assertThat(result.out())
        .containsPattern(
            "not applied:\n  \\S*stepguard.yaml:1:1: 'isolation' is not applied.*\ninterpreter: ");
  }

  @Test
  void reportsAWorkingPython() {
    Cli.Result result = Cli.run("doctor", "--project", project.toString());

    assertThat(result.out()).contains("ok   python   Python 3.", "isolation: auto (runs use ");
    assertThat(result.out()).containsPattern("(ok   sandbox  bubblewrap|FAIL sandbox)");
  }

  @Test
  void printsChecksAsJson() throws Exception {
    Cli.Result result = Cli.run("doctor", "--json", "--project", project.toString());

    assertThat(Json.reader().readTree(result.out()).findValuesAsText("component"))
        .containsExactly("history", "python", "sandbox");
  }

  @Test
  void jsonSaysWhatIsInEffect() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "isolation: process\n");

    Cli.Result result =
        Cli.run(
            Cli.operator(operatorConfig),
            RuntimeModuleFactory.production(),
            "doctor",
            "--json",
            "--project",
            project.toString());

    var doctor = Json.reader().readTree(result.out());
    assertThat(doctor.at("/project/root").asText()).isEqualTo(project.toString());
    assertThat(doctor.at("/project/chosen").asText()).isEqualTo("named by --project");
    assertThat(doctor.at("/isolation/configured").asText()).isEqualTo("auto");
    assertThat(doctor.at("/isolation/runsUse").asText()).isIn("sandbox", "process");
    assertThat(doctor.at("/interpreter").asText()).isEqualTo("python3");
    assertThat(doctor.at("/config/operator/file").asText()).isEqualTo(operatorConfig.toString());
    assertThat(doctor.at("/config/operator/present").asBoolean()).isFalse();
    assertThat(doctor.at("/config/project/file").asText())
        .isEqualTo(project.resolve("stepguard.yaml").toString());
    assertThat(doctor.at("/config/project/present").asBoolean()).isTrue();
    assertThat(doctor.at("/config/project/trust").asText()).isEqualTo("untrusted");
    assertThat(doctor.at("/config/project/notApplied/0").asText())
        .contains("'isolation' is not applied");
  }

  @Test
  void jsonSaysWhenTheOperatorTrustsTheProjectFile() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "isolation: process\n");
    Files.writeString(operatorConfig, "python: python3\n");
    Cli.run(
        Cli.operator(operatorConfig),
        RuntimeModuleFactory.production(),
        "trust",
        "--project",
        project.toString());

    Cli.Result result =
        Cli.run(
            Cli.operator(operatorConfig),
            RuntimeModuleFactory.production(),
            "doctor",
            "--json",
            "--project",
            project.toString());

    var doctor = Json.reader().readTree(result.out());
    assertThat(doctor.at("/config/operator/present").asBoolean()).isTrue();
    assertThat(doctor.at("/config/project/trust").asText()).isEqualTo("trusted");
    assertThat(doctor.at("/config/project/notApplied")).isEmpty();
    assertThat(doctor.at("/isolation/configured").asText()).isEqualTo("process");
    assertThat(doctor.at("/isolation/runsUse").asText()).isEqualTo("process");
  }

  @Test
  void aRelativeHistoryFileIsTheConfigFilesWhereverStepguardRuns() throws Exception {
    Files.writeString(operatorConfig, "history:\n  url: jdbc:h2:file:./audit/history\n");
    Path elsewhere = Files.createDirectories(project.resolve("scripts"));

    Cli.Result result = Cli.runIn(elsewhere, Cli.operator(operatorConfig), "doctor");

    assertThat(result.out())
        .contains(
            "ok   history  0 runs at jdbc:h2:file:" + operatorDirectory.resolve("audit/history"));
  }

  @Test
  void reportsTheHistoryStore() {
    Cli.Result result = Cli.run("doctor", "--project", project.toString());

    assertThat(result.out()).contains("ok   history  0 runs at jdbc:h2:file:" + project);
  }

  @Test
  void saysHowToFixAnUnreachableHistory() throws Exception {
    Files.writeString(operatorConfig, "history:\n  url: jdbc:h2:tcp://127.0.0.1:1/nowhere\n");

    Cli.Result result = doctorWithOperatorConfig();

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("FAIL history", "cannot be opened", "fix: ");
  }

  @Test
  void saysHowToFixAMissingPython() throws Exception {
    Files.writeString(operatorConfig, "python: /nowhere/python3\n");

    Cli.Result result = doctorWithOperatorConfig();

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("FAIL python", "fix: Install Python 3.8");
  }

  @Test
  void exitsZeroOnlyWhenEveryCheckPasses() {
    Cli.Result result = Cli.run("doctor", "--project", project.toString());

    assertThat(result.exitCode()).isEqualTo(result.out().contains("FAIL") ? 1 : 0);
  }
}
