package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {
  @TempDir Path project;

  @Test
  void reportsAWorkingPython() {
    Cli.Result result = Cli.run("doctor", "--project", project.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("ok   python   Python 3.");
  }

  @Test
  void printsChecksAsJson() throws Exception {
    Cli.Result result = Cli.run("doctor", "--json", "--project", project.toString());

    assertThat(Json.reader().readTree(result.out()).get(0).get("component").asText())
        .isEqualTo("python");
  }

  @Test
  void saysHowToFixAMissingPython() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "python: /nowhere/python3\n");

    Cli.Result result = Cli.run("doctor", "--project", project.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("FAIL python", "fix: Install Python 3.8");
  }
}
