package dev.stepguard.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepRun;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One workflow run in progress: what its steps did so far and how it stands. */
final class RunState {
  final String id;
  final Workflow workflow;
  final Instant startedAt;
  final Requester requestedBy;

  /** Whether the run was recorded RUNNING when it was accepted, before its turn came. */
  final boolean accepted;

  final List<StepRun> steps = new ArrayList<>();
  final Map<String, JsonNode> outputs = new LinkedHashMap<>();

  /** Values seen under secret names so far: masked in every record of this run, never stored. */
  final Set<String> secrets = new LinkedHashSet<>();

  JsonNode inputs = JsonNodeFactory.instance.objectNode();
  String failedStep;
  ErrorInfo error;
  Status status = Status.RUNNING;
  Instant finishedAt;

  RunState(
      String id, Workflow workflow, Instant startedAt, Requester requestedBy, boolean accepted) {
    this.id = id;
    this.workflow = workflow;
    this.startedAt = startedAt;
    this.requestedBy = requestedBy;
    this.accepted = accepted;
  }

  /** The value a reference names: a workflow input, or a field of an earlier step's output. */
  JsonNode lookup(References.Reference reference) {
    if (reference instanceof References.Reference.Input input) {
      return inputs.path(input.name());
    }
    References.Reference.StepOutput output = (References.Reference.StepOutput) reference;
    JsonNode value = outputs.get(output.step());
    if (value == null) {
      return null;
    }
    for (String field : output.fields()) {
      value = value.path(field);
    }
    return value;
  }

  void stop(String step, StepRun stepRun, ErrorInfo why) {
    steps.add(stepRun);
    failedStep = step;
    error = why;
    status = stepRun.status();
  }

  /** The run as it stands; the output is the last step's once the run has succeeded. */
  WorkflowRun snapshot(ProcessIdentity supervisor) {
    JsonNode output =
        status == Status.SUCCEEDED && !steps.isEmpty()
            ? outputs.get(steps.get(steps.size() - 1).id())
            : null;
    return new WorkflowRun(
        id,
        workflow.file(),
        workflow.sha256(),
        workflow.name(),
        inputs,
        status,
        failedStep,
        steps,
        output,
        error,
        startedAt,
        finishedAt,
        requestedBy,
        supervisor);
  }

  /** An accepted run closed CANCELLED by {@code cancel} at {@code now}, before its first step. */
  static WorkflowRun withdrawn(WorkflowRun accepted, CancelRequest cancel, Instant now) {
    String asked =
        cancel.cause()
            + " ("
            + cancel.requester().channel().label()
            + ", "
            + cancel.requester().name()
            + ")";
    return new WorkflowRun(
        accepted.id(),
        accepted.workflow(),
        accepted.workflowSha256(),
        accepted.name(),
        accepted.inputs(),
        Status.CANCELLED,
        null,
        accepted.steps(),
        null,
        new ErrorInfo(
            Status.CANCELLED.name(),
            "workflow "
                + accepted.workflow()
                + " CANCELLED: the run was stopped on request by "
                + asked
                + " before its first step started, so no step ran. Run it again for its result."),
        accepted.startedAt(),
        now,
        accepted.requestedBy(),
        accepted.supervisor());
  }

  /** The run refused at {@code now}, before any step: nothing started. */
  WorkflowRun refuse(String step, String reason, Instant now) {
    failedStep = step;
    status = Status.REJECTED;
    finishedAt = now;
    error =
        new ErrorInfo(
            Status.REJECTED.name(),
            "workflow "
                + workflow.file()
                + " REJECTED: "
                + reason
                + ". No step was run; fix the inputs or the workflow.");
    return snapshot(null);
  }
}
