package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's history file while a server keeps it open: H2 writes every commit at the end of the
 * file (RETENTION_TIME, docs/history.md), so its size is what the commits of a run cost. Compressed
 * pages keep that cost down, and a clean close gives the space back, so the file is closed and
 * opened again every {@link HistoryDatabase#REOPEN_AFTER} statements.
 */
class HistoryFileSizeTest {
  static final int RUNS = 1_000;

  @TempDir Path project;

  @Test
  void aRunOfTheServerCostsTheOpenFileLessThan40KilobytesAndACleanCloseGivesItBack()
      throws Exception {
    long open;
    try (HistoryDatabase database = new HistoryDatabase(HistorySettings.forProject(project))) {
      runs(new JdbiExecutionStore(database));
      open = Files.size(file());
    }
    long closed = Files.size(file());

    assertThat(open / RUNS).as("bytes per run while open").isLessThan(40 * 1024);
    assertThat(closed).as("bytes after a clean close").isLessThan(open / 4);
  }

  @Test
  void aFileReopenedEveryFewHundredStatementsStaysUnderHalfOfOneKeptOpenAndLosesNoRun()
      throws Exception {
    try (HistoryDatabase database =
        new HistoryDatabase(HistorySettings.forProject(project), HistoryDatabase.PATIENCE, 300)) {
      JdbiExecutionStore store = new JdbiExecutionStore(database);
      List<ExecutionRecord> written = runs(store);

      assertThat(Files.size(file()) / RUNS).as("bytes per run while open").isLessThan(16 * 1024);
      for (ExecutionRecord run : written) {
        assertThat(store.find(run.id()).orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
      }
    }
  }

  /** {@link #RUNS} runs as the HTTP server writes them: accepted, started, ended. */
  private static List<ExecutionRecord> runs(JdbiExecutionStore store) {
    List<ExecutionRecord> written = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      ExecutionRecord queued = SampleRecords.queued("hello.py", Instant.now());
      store.insert(queued);
      ExecutionRecord running = queued.toBuilder().process(SampleRecords.SCRIPT).build();
      assertThat(store.start(running)).isTrue();
      assertThat(store.finish(SampleRecords.closed(running, Status.SUCCEEDED))).isTrue();
      written.add(running);
    }
    return written;
  }

  private Path file() {
    return project.resolve(".stepguard").resolve("history.mv.db");
  }
}
