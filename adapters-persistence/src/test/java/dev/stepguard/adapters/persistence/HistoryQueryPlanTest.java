package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.Status;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The listings read one page from an index and stop: H2's own plan says how many rows it looked at,
 * so a listing that sorts every match (and slows down as the history grows) fails here.
 */
class HistoryQueryPlanTest {
  static final int RUNS = 400;

  @TempDir Path project;
  private HistoryDatabase database;

  @BeforeEach
  void fill() {
    database = new HistoryDatabase(HistorySettings.forProject(project));
    JdbiExecutionStore store = new JdbiExecutionStore(database);
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < RUNS; i++) {
      ExecutionRecord running =
          SampleRecords.running(ExecutionId.random(), "a.py", t0.plusSeconds(i), "wf-" + (i % 4));
      store.insert(running);
      store.finish(SampleRecords.closed(running, i % 10 == 0 ? Status.FAILED : Status.SUCCEEDED));
    }
  }

  @AfterEach
  void close() {
    database.close();
  }

  private String plan(HistoryFilter filter) {
    HistoryQuery query = HistoryQuery.of(filter);
    return database.call(
        session ->
            String.join(
                "\n",
                session
                    .handle()
                    .createQuery("EXPLAIN ANALYZE " + query.sql())
                    .bindMap(query.parameters())
                    .mapTo(String.class)
                    .list()));
  }

  private static int scanCount(String plan) {
    int at = plan.indexOf("scanCount: ");
    return Integer.parseInt(plan.substring(at + 11).split("\\D", 2)[0]);
  }

  @Test
  void readsOnlyOnePageOfAStatus() {
    String plan = plan(HistoryFilter.all(5).withStatus(Status.FAILED));

    assertThat(plan).contains("EXECUTIONS_BY_STATUS", "index sorted");
    assertThat(scanCount(plan)).isLessThanOrEqualTo(6);
  }

  @Test
  void readsOnlyOnePageOfAWorkflowRun() {
    String plan = plan(HistoryFilter.all(5).withWorkflowRun("wf-2"));

    assertThat(plan).contains("EXECUTIONS_BY_WORKFLOW_RUN", "index sorted");
    assertThat(scanCount(plan)).isLessThanOrEqualTo(6);
  }

  @Test
  void readsOnlyOnePageOfEverythingAndOfATimeRange() {
    String all = plan(HistoryFilter.all(5));
    String range = plan(HistoryFilter.all(5).withUntil(Instant.parse("2026-01-01T00:03:00Z")));

    assertThat(all).contains("index sorted");
    assertThat(scanCount(all)).isLessThanOrEqualTo(6);
    assertThat(range).contains("index sorted");
    assertThat(scanCount(range)).isLessThanOrEqualTo(6);
  }
}
