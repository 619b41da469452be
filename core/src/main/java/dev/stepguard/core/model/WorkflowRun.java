package dev.stepguard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The record of one workflow run (docs/workflows.md, "The record"): SUCCEEDED, or the status of the
 * step that stopped it, named in {@code failedStep}.
 *
 * @param workflow the workflow file as it was named
 * @param workflowSha256 the SHA-256 of the file that ran
 * @param output the last step's output, or null
 * @param supervisor the stepguard process that ran it; null for a run refused before any step
 */
public record WorkflowRun(
    String id,
    String workflow,
    String workflowSha256,
    String name,
    JsonNode inputs,
    Status status,
    String failedStep,
    List<StepRun> steps,
    JsonNode output,
    ErrorInfo error,
    Instant startedAt,
    Instant finishedAt,
    Requester requestedBy,
    ProcessIdentity supervisor) {
  public WorkflowRun {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(workflowSha256, "workflowSha256");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(requestedBy, "requestedBy");
  }

  /** This run with the parts that may hold a secret replaced, as stored after redaction. */
  public WorkflowRun withStoredText(JsonNode newInputs, JsonNode newOutput, ErrorInfo newError) {
    return new WorkflowRun(
        id,
        workflow,
        workflowSha256,
        name,
        newInputs,
        status,
        failedStep,
        steps,
        newOutput,
        newError,
        startedAt,
        finishedAt,
        requestedBy,
        supervisor);
  }
}
