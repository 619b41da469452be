package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store has acknowledged survives SIGKILL of the process that wrote it: no commit waits in
 * memory for a later flush (H2's WRITE_DELAY is 0).
 */
class DurabilityTest {
  static final int ROUNDS = 3;
  static final int RUNS = 20;

  @TempDir Path project;

  @Test
  void keepsEveryAcknowledgedWriteAfterTheWriterIsKilled() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Process writer =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  WriteAndWait.class.getName(),
                  project.toString(),
                  String.valueOf(RUNS))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      List<ExecutionId> closed = new ArrayList<>();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
        while (closed.size() < RUNS) {
          String line = out.readLine();
          assertThat(line).as("the writer stopped early").isNotNull();
          if (line.startsWith("closed ")) {
            closed.add(new ExecutionId(line.substring("closed ".length())));
          }
        }
        writer.destroyForcibly();
        writer.waitFor();
      }

      try (HistoryDatabase reopened = new HistoryDatabase(HistorySettings.forProject(project))) {
        JdbiExecutionStore store = new JdbiExecutionStore(reopened);
        for (ExecutionId id : closed) {
          assertThat(store.find(id)).as("run " + id).isPresent();
          assertThat(store.find(id).get().status()).isEqualTo(Status.FAILED);
        }
      }
    }
  }
}
