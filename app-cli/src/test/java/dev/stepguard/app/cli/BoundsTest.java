package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.stepguard.composition.RuntimeModuleFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cases 35, 36, 44 and 48 end to end: bad numbers and bad files are refused before anything starts,
 * with the flag or the FILE:LINE:COLUMN, and nothing is recorded.
 */
class BoundsTest {
  /** A hang guard: a refusal takes well under this; a hang or an unbounded read never ends. */
  private static final Duration AT_ONCE = Duration.ofSeconds(10);

  @TempDir Path project;
  @TempDir Path operatorDirectory;
  private Path marker;

  @BeforeEach
  void writeAScriptThatLeavesAMark() throws IOException {
    marker = project.resolve("ran");
    Files.writeString(
        project.resolve("mark.py"),
        "import json, sys\nopen('ran', 'w').close()\njson.dump({}, sys.stdout)\n");
  }

  private Cli.Result cli(String... args) {
    return cli(Cli.operator(operatorDirectory.resolve("absent.yaml")), args);
  }

  private Cli.Result cli(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--project");
    all.add(project.toString());
    return Cli.run(env, RuntimeModuleFactory.production(), all.toArray(String[]::new));
  }

  private void assertNothingStarted() {
    assertThat(marker).doesNotExist();
    assertThat(project.resolve(".stepguard")).doesNotExist();
  }

  @Test
  void case35RefusesATimeoutFlagOverItsCeilingNamingTheFlag() {
    Cli.Result result = cli("run", "mark.py", "--timeout", "1000000d");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--timeout").contains("over its ceiling of 30d");
    assertNothingStarted();
  }

  @Test
  void case35RefusesAnAgeFlagOverItsCeilingNamingTheFlag() {
    Cli.Result result = cli("history", "prune", "--older-than", "999999999999d");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--older-than").contains("3650d");
    assertNothingStarted();
  }

  @Test
  void case35RefusesASinceFlagOverTheAgeCeilingNamingTheFlag() {
    Cli.Result result = cli("history", "list", "--since", "999999999999d");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--since").contains("3650d");
    assertNothingStarted();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "timeout: 1000000d|1|30d",
        "grace: 1000000d|1|1h",
        "maxTimeout: 1000000d|1|30d",
        "limits:\\n  cpuTime: 1000000d|2|31d",
        "limits:\\n  memory: 99999999999GiB|2|too large",
        "limits:\\n  openFiles: 99999999999999999999|2|out of range",
        "limits:\\n  jsonDepth: 99999999999|2|out of range",
        "history:\\n  retention: 1000000d|2|3650d",
        "limits:\\n  stderrTail: 1GiB|2|16MiB",
        "limits:\\n  stdout: 2GiB|2|256MiB",
        "limits:\\n  input: 1GiB|2|64MiB",
        "limits:\\n  tmp: 8GiB|2|1GiB",
      })
  void case35And48RefuseAValueOverItsCeilingInTheProjectFileWhereItStands(
      String yaml, String line, String ceiling) throws IOException {
    Path file = project.resolve("stepguard.yaml");
    Files.writeString(file, yaml.replace("\\n", "\n") + "\n");

    Cli.Result result = assertTimeoutPreemptively(AT_ONCE, () -> cli("run", "mark.py"));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(file + ":" + line + ":");
    assertThat(result.err()).contains(ceiling);
    assertNothingStarted();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "timeout: 1000000d|1|30d",
        "limits:\\n  memory: 99999999999GiB|2|too large",
        "limits:\\n  stderrTail: 1GiB|2|16MiB",
        "limits:\\n  stdout: 2GiB|2|256MiB",
      })
  void case35And48RefuseAValueOverItsCeilingInTheOperatorConfigWhereItStands(
      String yaml, String line, String ceiling) throws IOException {
    Path file = operatorDirectory.resolve("config.yaml");
    Files.writeString(file, yaml.replace("\\n", "\n") + "\n");

    Cli.Result result = cli(Cli.operator(file), "run", "mark.py");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(file + ":" + line + ":").contains(ceiling);
    assertNothingStarted();
  }

  @Test
  void case35And48RefuseAWorkflowAskingForMoreThanAnyCeilingWithEachPosition() throws IOException {
    Files.writeString(
        project.resolve("flow.yaml"),
        "steps:\n"
            + "  - id: a\n"
            + "    script: mark.py\n"
            + "    timeout: 1000000d\n"
            + "    limits:\n"
            + "      memory: 99999999999GiB\n"
            + "      stderrTail: 1GiB\n"
            + "      stdout: 2GiB\n");

    Cli.Result validate = cli("workflow", "validate", "flow.yaml");
    Cli.Result run = cli("workflow", "run", "flow.yaml");

    assertThat(validate.exitCode()).isEqualTo(3);
    assertThat(validate.err())
        .contains("flow.yaml:4:14: ")
        .contains("flow.yaml:6:15: ")
        .contains("flow.yaml:7:19: the limit stderrTail: 1GiB is over its ceiling of 16MiB")
        .contains("flow.yaml:8:15: the limit stdout: 2GiB is over its ceiling of 256MiB");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).isEqualTo(validate.err());
    assertNothingStarted();
  }

  @Test
  void case36RefusesDevZeroAtOnce() {
    Cli.Result result =
        assertTimeoutPreemptively(
            AT_ONCE, () -> cli("run", "mark.py", "--input-file", "/dev/zero"));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--input-file /dev/zero is not a regular file");
    assertNothingStarted();
  }

  @Test
  void case36RefusesAFifoAtOnce() throws Exception {
    Path fifo = project.resolve("input.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    Cli.Result result =
        assertTimeoutPreemptively(
            AT_ONCE, () -> cli("run", "mark.py", "--input-file", fifo.toString()));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("is not a regular file");
    assertNothingStarted();
  }

  @Test
  void case36RefusesADirectoryAtOnce() {
    Cli.Result result =
        assertTimeoutPreemptively(
            AT_ONCE, () -> cli("run", "mark.py", "--input-file", project.toString()));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("is a directory");
    assertNothingStarted();
  }

  @Test
  void case36RefusesAFileLargerThanTheInputLimitAtOnce() throws IOException {
    Path large = project.resolve("large.json");
    try (var channel =
        java.nio.channels.FileChannel.open(
            large,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {'{'}), 4L * 1024 * 1024);
    }

    Cli.Result result =
        assertTimeoutPreemptively(
            AT_ONCE, () -> cli("run", "mark.py", "--input-file", large.toString()));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("is larger than 4MiB, the input limit (limits.input)");
    assertNothingStarted();
  }

  @Test
  void case36RefusesAnInlineInputLargerThanTheInputLimit() throws IOException {
    Files.writeString(project.resolve("stepguard.yaml"), "limits:\n  input: 1KiB\n");

    Cli.Result result = cli("run", "mark.py", "--input", "{\"a\": \"" + "x".repeat(2048) + "\"}");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--input is larger than 1KiB");
    assertNothingStarted();
  }

  @Test
  void case44RefusesAWorkflowFileFarLargerThanAnyAtOnce() throws IOException {
    Path huge = project.resolve("huge.yaml");
    Files.writeString(huge, "name: \"" + "x".repeat(16 * 1024 * 1024) + "\"\n");

    Cli.Result result =
        assertTimeoutPreemptively(AT_ONCE, () -> cli("workflow", "validate", "huge.yaml"));

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).startsWith("huge.yaml:1:1: the workflow file is larger than 1MiB");
  }

  @Test
  void case44RefusesAWorkflowNested100000DeepWithItsPosition() throws IOException {
    Files.writeString(
        project.resolve("deep.yaml"), "steps: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");

    Cli.Result validate =
        assertTimeoutPreemptively(AT_ONCE, () -> cli("workflow", "validate", "deep.yaml"));
    Cli.Result run = assertTimeoutPreemptively(AT_ONCE, () -> cli("workflow", "run", "deep.yaml"));

    assertThat(validate.exitCode()).isEqualTo(3);
    assertThat(validate.err()).startsWith("deep.yaml:1:").contains("nested deeper than 100");
    assertThat(run.exitCode()).isEqualTo(3);
    assertNothingStarted();
  }

  @Test
  void case44RefusesAProjectFileNested100000DeepWithItsPosition() throws IOException {
    Path file = project.resolve("stepguard.yaml");
    Files.writeString(file, "limits: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n");

    Cli.Result result = assertTimeoutPreemptively(AT_ONCE, () -> cli("run", "mark.py"));

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains(file + ":1:");
    assertNothingStarted();
  }
}
