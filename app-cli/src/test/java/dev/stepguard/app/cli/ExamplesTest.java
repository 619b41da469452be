package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples in the repository run as the README shows them, in a copy of the repository's {@code
 * examples/}: the clone itself never gets a history.
 */
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  @TempDir Path project;

  @BeforeEach
  void copyTheExamples() throws IOException {
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      for (Path file : files.toList()) {
        Path copy = project.resolve("examples").resolve(EXAMPLES.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
  }

  private Cli.Result example(String script, String input) {
    return Cli.run("run", script, "--input", input, "--project", project.toString());
  }

  @Test
  void theOrdersWorkflowRunsAsTheReadmeShowsIt() throws Exception {
    Cli.Result result =
        Cli.run(
            "workflow",
            "run",
            "examples/orders/orders.yaml",
            "--input",
            "{\"csv\": \"examples/orders/orders.csv\", \"currency\": \"EUR\"}",
            "--project",
            project.toString());

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(Json.reader().readTree(result.out()).get("total").asDouble()).isEqualTo(1374.03);
  }

  @Test
  void theHelloExampleGreetsAda() {
    Cli.Result result = example("examples/hello/hello.py", "{\"name\": \"Ada\"}");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Hello, Ada!");
  }

  @Test
  void theCsvExampleSummarisesTheOrdersFileGivenAsAPath() throws Exception {
    Cli.Result result =
        example(
            "examples/csv-stats/stats.py",
            "{\"path\": \"examples/csv-stats/orders.csv\", \"column\": \"amount\"}");

    assertThat(result.exitCode()).isZero();
    var output = Json.reader().readTree(result.out());
    assertThat(output.get("rows").asInt()).isEqualTo(6);
    assertThat(output.get("sum").asDouble()).isEqualTo(505.49);
    assertThat(output.get("skipped").get(0).get("line").asInt()).isEqualTo(4);
  }

  @Test
  void theCsvExampleRefusesAPathOutsideTheProject() {
    Cli.Result result = example("examples/csv-stats/stats.py", "{\"path\": \"../etc/passwd\"}");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("must be a path inside the project");
  }

  @Test
  void theSlugifyExampleReportsCollisions() throws Exception {
    Cli.Result result =
        example(
            "examples/slugify/slugify.py",
            "{\"titles\": [\"Hello, World!\", \"hello world\", \"Ünïcode Straße\"]}");

    var output = Json.reader().readTree(result.out());
    assertThat(output.get("slugs").get("Ünïcode Straße").asText()).isEqualTo("unicode-strasse");
    assertThat(output.get("collisions").get("hello-world")).hasSize(2);
  }
}
