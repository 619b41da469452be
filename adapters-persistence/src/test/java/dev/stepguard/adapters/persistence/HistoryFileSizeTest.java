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

  @Test
  void aCloseLeavesLittleFreeSpaceForLaterAndGivesItBackOnceItIsWorthIt() throws Exception {
    List<Long> sizes = new ArrayList<>();
    for (int command = 0; command < 80; command++) {
      // one command line: open, record one run as `stepguard run` does, close
      try (HistoryDatabase database = new HistoryDatabase(HistorySettings.forProject(project))) {
        JdbiExecutionStore store = new JdbiExecutionStore(database);
        ExecutionRecord running =
            SampleRecords.queued("hello.py", Instant.now()).toBuilder()
                .process(SampleRecords.SCRIPT)
                .build();
        store.insert(running);
        assertThat(store.finish(SampleRecords.closed(running, Status.SUCCEEDED))).isTrue();
      }
      sizes.add(Files.size(file()));
    }

    int grew = 0;
    int shrank = 0;
    for (int i = 1; i < sizes.size(); i++) {
      grew += sizes.get(i) > sizes.get(i - 1) ? 1 : 0;
      shrank += sizes.get(i) < sizes.get(i - 1) ? 1 : 0;
    }
    assertThat(grew)
        .as("closes that left their few free chunks for later: %s", sizes)
        .isGreaterThan(40);
    assertThat(shrank).as("closes that gave the free space back: %s", sizes).isPositive();
    assertThat(sizes.stream().mapToLong(Long::longValue).max().orElseThrow())
        .as("largest file over the 80 commands: %s", sizes)
        .isLessThan(3 * Compaction.MIN_FREE);
  }

  @Test
  void aCloseCompactsOnlyWhenNoOtherSessionOfTheDatabaseCouldBeWritingMeanwhile() throws Exception {
    // compaction sets H2's retention time to 0: another session's commit meanwhile could go over
    // reused space, so a close under another session leaves the file as it is
    HistorySettings settings = HistorySettings.forProject(project);
    long open;
    long underAnother;
    try (HistoryDatabase other = new HistoryDatabase(settings)) {
      JdbiExecutionStore othersStore = new JdbiExecutionStore(other);
      othersStore.insert(SampleRecords.running("other.py", Instant.now()));
      try (HistoryDatabase closing = new HistoryDatabase(settings)) {
        runs(new JdbiExecutionStore(closing));
        open = Files.size(file());
      }
      underAnother = Files.size(file());
      othersStore.insert(SampleRecords.running("after.py", Instant.now()));
      assertThat(othersStore.running()).hasSize(2);
    }
    long alone = Files.size(file());

    assertThat(Compaction.due(open, 20))
        .as("the file was worth compacting: %d bytes", open)
        .isTrue();
    assertThat(underAnother).as("closed under another session").isGreaterThanOrEqualTo(open);
    assertThat(alone).as("closed by the last session").isLessThan(open / 4);
  }

  @Test
  void compactionIsDueOnceTheFreeSpaceIsAtLeastAMebibyteAndAtLeastTheLiveData() {
    assertThat(Compaction.due(900_000, 0)).as("under a MiB free").isFalse();
    assertThat(Compaction.due(4_000_000, 80)).as("800 KB free of 4 MB").isFalse();
    assertThat(Compaction.due(4_000_000, 40)).as("2.4 MB free of 4 MB").isTrue();
    assertThat(Compaction.due(40_000_000, 51)).as("less free than live").isFalse();
    assertThat(Compaction.due(40_000_000, 50)).as("as much free as live").isTrue();
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
