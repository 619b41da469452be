package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The examples in the repository run as the README shows them. */
class ExamplesTest {
  private static final String REPOSITORY = Path.of("..").toAbsolutePath().normalize().toString();

  private static Cli.Result example(String script, String input) {
    return Cli.run("run", script, "--input", input, "--project", REPOSITORY);
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
            REPOSITORY);

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
