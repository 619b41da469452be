package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowRunSummaryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static WorkflowRun run(Status status, Instant finishedAt, List<StepRun> steps) {
    return new WorkflowRun(
        "3f2a9c1e-0000-4000-8000-000000000001",
        "flows/etl.yaml",
        "ab".repeat(32),
        "etl",
        JsonNodeFactory.instance.objectNode().put("secretish", "x"),
        status,
        status == Status.FAILED ? "load" : null,
        steps,
        null,
        status == Status.FAILED ? new ErrorInfo("FAILED", "step load FAILED") : null,
        T0,
        finishedAt,
        Requester.http("ci"),
        null);
  }

  @Test
  void summarizesAnEndedRunWithItsStepCountDurationAndWhyItStopped() {
    WorkflowRun failed =
        run(
            Status.FAILED,
            T0.plusMillis(1500),
            List.of(
                new StepRun("prepare", ExecutionId.random(), Status.SUCCEEDED),
                new StepRun("load", ExecutionId.random(), Status.FAILED)));

    WorkflowRunSummary summary = WorkflowRunSummary.of(failed);

    assertThat(summary.id()).isEqualTo(failed.id());
    assertThat(summary.workflow()).isEqualTo("flows/etl.yaml");
    assertThat(summary.name()).isEqualTo("etl");
    assertThat(summary.status()).isEqualTo(Status.FAILED);
    assertThat(summary.durationMs()).isEqualTo(1500);
    assertThat(summary.stepCount()).isEqualTo(2);
    assertThat(summary.failedStep()).isEqualTo("load");
    assertThat(summary.error().code()).isEqualTo("FAILED");
    assertThat(summary.requestedBy()).isEqualTo(Requester.http("ci"));
  }

  @Test
  void saysZeroDurationForARunStillRunning() {
    WorkflowRunSummary summary = WorkflowRunSummary.of(run(Status.RUNNING, null, List.of()));

    assertThat(summary.durationMs()).isZero();
    assertThat(summary.finishedAt()).isNull();
    assertThat(summary.stepCount()).isZero();
  }
}
