package dev.stepguard.core.history;

import static dev.stepguard.core.fixtures.SampleRecords.closed;
import static dev.stepguard.core.fixtures.SampleRecords.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.InMemoryWorkflowRunStore;
import dev.stepguard.core.fixtures.TickingClock;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionSummary;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.WorkflowRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryQueriesTest {
  private static final Instant NOW = Instant.parse("2026-02-01T00:00:00Z");

  private final InMemoryExecutionStore store = new InMemoryExecutionStore();
  private final InMemoryWorkflowRunStore workflows = new InMemoryWorkflowRunStore();
  private final HistoryQueries queries =
      new HistoryQueries(store, workflows, new TickingClock(NOW, Duration.ZERO));

  private ExecutionRecord stored(String id, Instant startedAt) {
    ExecutionRecord run =
        closed(running(new ExecutionId(id), "a.py", startedAt, null), Status.SUCCEEDED);
    store.insert(run);
    return run;
  }

  @Test
  void showsARunByItsFullIdOrAUniquePrefix() {
    ExecutionRecord run = stored("0a1b2c3d-0000-4000-8000-000000000001", NOW);

    assertThat(queries.show(run.id().value())).isEqualTo(new HistoryQueries.Lookup.Found(run));
    assertThat(queries.show("0A1B2C3D")).isEqualTo(new HistoryQueries.Lookup.Found(run));
  }

  @Test
  void saysWhenAPrefixMatchesMoreThanOneRun() {
    stored("0a1b2c3d-0000-4000-8000-000000000001", NOW);
    stored("0a1b2c3d-0000-4000-8000-000000000002", NOW);

    assertThat(queries.show("0a1b2c3d"))
        .isInstanceOfSatisfying(
            HistoryQueries.Lookup.NotFound.class,
            notFound -> assertThat(notFound.message()).contains("more than one run"));
  }

  @Test
  void findsAWorkflowRunByItsFullIdOrAUniquePrefix() {
    WorkflowRun run = workflowRun("5e6f7a8b-0000-4000-8000-000000000001");

    assertThat(queries.show(run.id())).isEqualTo(new HistoryQueries.Lookup.FoundWorkflowRun(run));
    assertThat(queries.show("5E6F7A8B")).isEqualTo(new HistoryQueries.Lookup.FoundWorkflowRun(run));
    assertThat(queries.workflowRun("5e6f7a8b"))
        .isEqualTo(new HistoryQueries.WorkflowRunLookup.Found(run));
    assertThat(queries.workflowRun("0000dead"))
        .isInstanceOf(HistoryQueries.WorkflowRunLookup.NotFound.class);
    assertThat(queries.workflowRun("ab"))
        .isInstanceOf(HistoryQueries.WorkflowRunLookup.NotFound.class);
  }

  @Test
  void saysWhenAPrefixMatchesARunAndAWorkflowRun() {
    stored("5e6f7a8b-0000-4000-8000-000000000001", NOW);
    workflowRun("5e6f7a8b-0000-4000-8000-000000000002");

    assertThat(queries.show("5e6f"))
        .isInstanceOfSatisfying(
            HistoryQueries.Lookup.NotFound.class,
            notFound -> assertThat(notFound.message()).contains("more than one run"));
  }

  private WorkflowRun workflowRun(String id) {
    WorkflowRun run =
        new WorkflowRun(
            id,
            "flows/a.yaml",
            "ab".repeat(32),
            "a",
            JsonNodeFactory.instance.objectNode(),
            Status.SUCCEEDED,
            null,
            List.of(),
            null,
            null,
            NOW,
            NOW,
            Requester.cli("ada"),
            null);
    workflows.insert(run);
    return run;
  }

  @Test
  void saysWhenNoRunMatches() {
    assertThat(queries.show("deadbeef")).isInstanceOf(HistoryQueries.Lookup.NotFound.class);
    assertThat(queries.show(ExecutionId.random().value()))
        .isInstanceOf(HistoryQueries.Lookup.NotFound.class);
  }

  @Test
  void refusesTextThatIsNoIdWithoutAskingTheStore() {
    store.breakDown();

    assertThat(queries.show("ab")).isInstanceOf(HistoryQueries.Lookup.NotFound.class);
    assertThat(queries.show("'; drop table")).isInstanceOf(HistoryQueries.Lookup.NotFound.class);
    assertThat(queries.show("-".repeat(36))).isInstanceOf(HistoryQueries.Lookup.NotFound.class);
  }

  @Test
  void prunesRunsOlderThanTheAgeCountedFromNow() {
    ExecutionRecord old = stored("0a1b2c3d-0000-4000-8000-000000000001", NOW.minusSeconds(7200));
    ExecutionRecord recent = stored("0a1b2c3d-0000-4000-8000-000000000002", NOW.minusSeconds(60));

    assertThat(queries.prune(Duration.ofHours(1), 0)).isEqualTo(1);
    assertThat(store.find(old.id())).isEmpty();
    assertThat(store.find(recent.id())).isPresent();
  }

  @Test
  void refusesANegativeAgeOrKeep() {
    assertThatThrownBy(() -> queries.prune(Duration.ofHours(-1), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> queries.prune(Duration.ofHours(1), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listsThroughTheStore() {
    ExecutionRecord run = stored("0a1b2c3d-0000-4000-8000-000000000001", NOW);

    assertThat(queries.list(HistoryFilter.all(5)).items())
        .containsExactly(ExecutionSummary.of(run));
  }

  @Test
  void findsAWorkflowRunByItsId() {
    dev.stepguard.core.model.WorkflowRun run =
        new dev.stepguard.core.model.WorkflowRun(
            "0a1b2c3d-0000-4000-8000-00000000000f",
            "flow.yaml",
            "ab".repeat(32),
            "flow",
            null,
            Status.SUCCEEDED,
            null,
            java.util.List.of(),
            null,
            null,
            NOW,
            NOW,
            dev.stepguard.core.model.Requester.cli("ada"),
            null);
    workflows.insert(run);

    assertThat(queries.workflowRun(" 0A1B2C3D-0000-4000-8000-00000000000F "))
        .isEqualTo(new HistoryQueries.WorkflowRunLookup.Found(run));
    assertThat(queries.workflowRun("nope"))
        .isInstanceOf(HistoryQueries.WorkflowRunLookup.NotFound.class);
  }
}
