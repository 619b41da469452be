package dev.stepguard.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What a listing shows of a workflow run: how it stands, but none of its inputs, outputs or steps
 * (the whole {@link WorkflowRun} is one lookup away).
 *
 * @param durationMs from start to end; 0 while the run is RUNNING
 * @param stepCount how many steps have an end so far (the step that stopped the run included)
 * @param failedStep the step that stopped the run, or null
 * @param error why it did not succeed, or null
 */
public record WorkflowRunSummary(
    String id,
    String workflow,
    String name,
    Status status,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    int stepCount,
    String failedStep,
    ErrorInfo error,
    Requester requestedBy) {
  public WorkflowRunSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(requestedBy, "requestedBy");
  }

  /** The summary of {@code run}. */
  public static WorkflowRunSummary of(WorkflowRun run) {
    return new WorkflowRunSummary(
        run.id(),
        run.workflow(),
        run.name(),
        run.status(),
        run.startedAt(),
        run.finishedAt(),
        run.finishedAt() == null
            ? 0
            : Math.max(0, run.finishedAt().toEpochMilli() - run.startedAt().toEpochMilli()),
        run.steps().size(),
        run.failedStep(),
        run.error(),
        run.requestedBy());
  }
}
