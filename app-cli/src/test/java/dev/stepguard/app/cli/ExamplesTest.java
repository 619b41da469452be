package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The examples in the repository run as the README shows them. */
class ExamplesTest {
  private static final String REPOSITORY = Path.of("..").toAbsolutePath().normalize().toString();

  @Test
  void theHelloExampleGreetsAda() {
    Cli.Result result =
        Cli.run(
            "run",
            "examples/hello/hello.py",
            "--input",
            "{\"name\": \"Ada\"}",
            "--project",
            REPOSITORY);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Hello, Ada!");
  }

  @Test
  void theCsvExampleSummarisesTheOrdersFileGivenAsAPath() throws Exception {
    Cli.Result result =
        Cli.run(
            "run",
            "examples/csv-stats/stats.py",
            "--input",
            "{\"path\": \"examples/csv-stats/orders.csv\", \"column\": \"amount\"}",
            "--project",
            REPOSITORY);

    assertThat(result.exitCode()).isZero();
    var output = Json.reader().readTree(result.out());
    assertThat(output.get("rows").asInt()).isEqualTo(6);
    assertThat(output.get("sum").asDouble()).isEqualTo(505.49);
    assertThat(output.get("skipped").get(0).get("line").asInt()).isEqualTo(4);
  }

  @Test
  void theCsvExampleRefusesAPathOutsideTheProject() {
    Cli.Result result =
        Cli.run(
            "run",
            "examples/csv-stats/stats.py",
            "--input",
            "{\"path\": \"../etc/passwd\"}",
            "--project",
            REPOSITORY);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("must be a path inside the project");
  }

  @Test
  void theSlugifyExampleReportsCollisions() throws Exception {
    Cli.Result result =
        Cli.run(
            "run",
            "examples/slugify/slugify.py",
            "--input",
            "{\"titles\": [\"Hello, World!\", \"hello world\", \"Ünïcode Straße\"]}",
            "--project",
            REPOSITORY);

    var output = Json.reader().readTree(result.out());
    assertThat(output.get("slugs").get("Ünïcode Straße").asText()).isEqualTo("unicode-strasse");
    assertThat(output.get("collisions").get("hello-world")).hasSize(2);
  }
}
