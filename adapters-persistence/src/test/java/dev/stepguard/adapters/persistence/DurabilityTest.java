package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.Status;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store has acknowledged survives SIGKILL of the process that wrote it: no commit waits in
 * memory for a later flush (H2's WRITE_DELAY is 0), and none is written where the next recovery
 * does not look (H2's RETENTION_TIME).
 */
class DurabilityTest {
  static final int ROUNDS = 3;
  static final int RUNS = 20;

  @TempDir Path project;

  @Test
  void keepsEveryAcknowledgedWriteAfterTheWriterIsKilled() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      List<ExecutionId> closed = writeAndKill(RUNS);
      try (HistoryDatabase reopened = new HistoryDatabase(HistorySettings.forProject(project))) {
        assertAllThere(new JdbiExecutionStore(reopened), closed);
      }
    }
  }

  /**
   * Writers killed one after another with no clean close in between, for longer than H2 keeps old
   * chunks by default (45 s): a server killed again and again. With the default, chunks written
   * into reused space after a reopen were not found by the next recovery and every later record was
   * lost.
   */
  @Test
  void keepsEveryAcknowledgedWriteThroughKillAfterKillForOverAMinute() throws Exception {
    List<ExecutionId> closed = new ArrayList<>();
    Instant until = Instant.now().plus(Duration.ofSeconds(70));
    while (Instant.now().isBefore(until)) {
      closed.addAll(writeAndKill(5));
      Thread.sleep(2_000);
    }
    try (HistoryDatabase reopened = new HistoryDatabase(HistorySettings.forProject(project))) {
      assertAllThere(new JdbiExecutionStore(reopened), closed);
    }
  }

  /**
   * A writer that closes the file cleanly and opens it again every few statements, as a
   * long-running server does, writes into the space each close gave back; killed after that, again
   * and again, it loses nothing it was told about.
   */
  @Test
  void keepsEveryAcknowledgedWriteOfWritersThatReopenTheFileAsTheyGo() throws Exception {
    List<ExecutionId> closed = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      closed.addAll(writeAndKill(RUNS, 7));
    }
    try (HistoryDatabase reopened = new HistoryDatabase(HistorySettings.forProject(project))) {
      assertAllThere(new JdbiExecutionStore(reopened), closed);
    }
  }

  private static void assertAllThere(JdbiExecutionStore store, List<ExecutionId> closed) {
    for (ExecutionId id : closed) {
      assertThat(store.find(id)).as("run " + id).isPresent();
      assertThat(store.find(id).get().status()).isEqualTo(Status.FAILED);
    }
  }

  /** Starts a writer of {@code runs} runs, kills it once it said all are closed; their ids. */
  private List<ExecutionId> writeAndKill(int runs) throws Exception {
    return writeAndKill(runs, HistoryDatabase.REOPEN_AFTER);
  }

  /** The same with a writer that reopens the file every {@code reopenAfter} statements. */
  private List<ExecutionId> writeAndKill(int runs, int reopenAfter) throws Exception {
    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                System.getProperty("java.class.path"),
                WriteAndWait.class.getName(),
                project.toString(),
                String.valueOf(runs),
                String.valueOf(reopenAfter))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<ExecutionId> closed = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      while (closed.size() < runs) {
        String line = out.readLine();
        assertThat(line).as("the writer stopped early").isNotNull();
        if (line.startsWith("closed ")) {
          closed.add(new ExecutionId(line.substring("closed ".length())));
        }
      }
    } finally {
      writer.destroyForcibly();
      writer.waitFor();
    }
    return closed;
  }
}
