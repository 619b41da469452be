package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --input} and {@code --input-file}: numbers reach the script and the stored record as
 * written, and a number too long or too large for any value is refused before anything runs.
 */
class ExactInputNumbersTest {
  private static final String INPUT =
      "{\"n\": 1e999999999, \"big\": 123456789012345678901234567890123,"
          + " \"precise\": 0.1000000000000000055511151231257827, \"scale\": 1.50}";

  @TempDir Path project;

  private Cli.Result cli(String... args) throws Exception {
    Files.writeString(
        project.resolve("echo.py"),
        "import json,sys\nraw = sys.stdin.read()\n"
            + "print(json.dumps({'raw': raw, 'n': repr(json.loads(raw)['n'])}))\n");
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--project";
    all[args.length + 1] = project.toString();
    return Cli.run(all);
  }

  @Test
  void theScriptAndTheRecordSeeEveryNumberAsWritten() throws Exception {
    Path file = Files.writeString(project.resolve("input.json"), INPUT);

    for (String[] input : new String[][] {{"--input", INPUT}, {"--input-file", file.toString()}}) {
      Cli.Result run =
          cli("run", "echo.py", "--isolation", "process", input[0], input[1], "--json");

      assertThat(run.exitCode()).as(run.err()).isZero();
      JsonNode record = Json.reader().readTree(run.out());
      assertThat(record.at("/output/raw").asText())
          .contains("123456789012345678901234567890123", "0.1000000000000000055511151231257827")
          .doesNotContain("Infinity");
      assertThat(record.at("/output/n").asText()).isEqualTo("inf");
      Cli.Result shown = cli("history", "show", record.get("id").asText(), "--json");
      assertThat(Json.reader().readTree(shown.out()).get("inputs").toString())
          .isEqualTo(
              "{\"n\":1E+999999999,\"big\":123456789012345678901234567890123,"
                  + "\"precise\":0.1000000000000000055511151231257827,\"scale\":1.50}");
    }
  }

  @Test
  void aNumberTooLongOrTooLargeIsRejectedBeforeAnythingRuns() throws Exception {
    Cli.Result tooLong =
        cli(
            "run",
            "echo.py",
            "--isolation",
            "process",
            "--input",
            "{\"n\": " + "9".repeat(1001) + "}");
    Cli.Result tooLarge =
        cli("run", "echo.py", "--isolation", "process", "--input", "{\"n\": 1e99999999999}");

    assertThat(tooLong.exitCode()).isEqualTo(3);
    assertThat(tooLong.err()).contains("a number longer than 1000 characters");
    assertThat(tooLarge.exitCode()).isEqualTo(3);
    assertThat(tooLarge.err()).contains("a number too large or too small for any value");
  }
}
