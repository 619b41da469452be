package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
