package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.ExecutionStoreContract;
import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.IdempotencyKey;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ExecutionStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbiExecutionStoreTest extends ExecutionStoreContract {
  @TempDir Path project;
  private HistoryDatabase database;

  @Override
  protected ExecutionStore newStore() {
    database = new HistoryDatabase(HistorySettings.forProject(project));
    return new JdbiExecutionStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private ExecutionRecord finished(String script, Instant at) {
    ExecutionRecord running = SampleRecords.running(script, at);
    store.insert(running);
    ExecutionRecord done = SampleRecords.closed(running, Status.SUCCEEDED);
    store.finish(done);
    return done;
  }

  private static IdempotencyKey key(String key, String runId, Instant at) {
    return new IdempotencyKey(key, "ci", "executions", "a".repeat(64), runId, at);
  }

  @Test
  void pruningRunsForgetsTheirIdempotencyKeysButNotThoseOfKeptOrUnrecordedRuns() {
    JdbiIdempotencyKeys keys = new JdbiIdempotencyKeys(database);
    ExecutionRecord pruned = finished("a.py", T0);
    ExecutionRecord kept = finished("b.py", T0.plusSeconds(100));
    keys.claim(key("pruned", pruned.id().value(), T0));
    keys.claim(key("kept", kept.id().value(), T0.plusSeconds(100)));
    keys.claim(key("not-yet-recorded", "11111111-2222-3333-4444-555555555555", T0.plusSeconds(60)));

    store.prune(T0.plusSeconds(50), 0);

    assertThat(keys.claim(key("pruned", "x", T0))).isEmpty();
    assertThat(keys.claim(key("kept", "x", T0))).isPresent();
    assertThat(keys.claim(key("not-yet-recorded", "x", T0))).isPresent();
  }
}
