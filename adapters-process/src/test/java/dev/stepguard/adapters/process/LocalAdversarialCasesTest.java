package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The adversarial cases that hold for every isolation level (those numbered 1-25 and 29 in {@link
 * AdversarialCases}) against {@code process} isolation.
 */
class LocalAdversarialCasesTest extends AdversarialCases {
  private static final ProcessLauncher LAUNCHER =
      new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")));

  @Override
  ProcessLauncher launcher() {
    return LAUNCHER;
  }

  @Override
  ProcessLauncher launcher(PythonLocator python) {
    return new LocalProcessLauncher(python);
  }

  @Test
  void removesThePrivateHomeAfterTheRun() {
    project.script(
        "home.py",
        "import json, os\nopen(os.path.join(os.environ['HOME'], 'x'), 'w').write('x')\n"
            + "print(json.dumps({'home': os.environ['HOME']}))\n");

    ExecutionRecord record = run("home.py");

    Path home = Path.of(record.output().get("home").asText());
    assertThat(home).doesNotExist();
    assertThat(home.getParent()).as("the directory of run homes").doesNotExist();
  }
}
