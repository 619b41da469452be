package dev.stepguard.core.model;

import java.util.Objects;

/**
 * One step of a workflow run: its id, the execution record it produced (null when the step was
 * refused before an execution existed), and that execution's status.
 */
public record StepRun(String id, ExecutionId executionId, Status status) {
  public StepRun {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
  }
}
