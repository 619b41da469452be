package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.ExecutionRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the JVM's exit does to an open history: it waits for the statement in progress and then
 * closes the file, instead of H2 closing it under the statement (a Ctrl-C while a new history was
 * migrated once left a failed migration that every later open refused).
 */
class HistoryExitTest {
  @TempDir Path project;

  @Test
  void theExitClosesTheHistoryOnlyAfterTheStatementInProgress() throws Exception {
    HistorySettings settings = HistorySettings.forProject(project);
    ExecutionRecord record = SampleRecords.running("a.py", Instant.now());
    HistoryDatabase database = new HistoryDatabase(settings);
    CountDownLatch inStatement = new CountDownLatch(1);
    CompletableFuture<Void> writer =
        CompletableFuture.runAsync(
            () ->
                database.call(
                    session -> {
                      inStatement.countDown();
                      pause(500);
                      session.dao().insert(ExecutionRow.of(record, 1).parameters());
                      return null;
                    }));
    assertThat(inStatement.await(30, TimeUnit.SECONDS)).isTrue();

    database.closeAtExit();

    assertThat(writer).succeedsWithin(Duration.ofSeconds(5));
    try (HistoryDatabase again = new HistoryDatabase(settings)) {
      assertThat(new JdbiExecutionStore(again).find(record.id())).contains(record);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
