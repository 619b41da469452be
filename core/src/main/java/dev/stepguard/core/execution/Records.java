package dev.stepguard.core.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Outcome;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.ResourceUsage;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.LaunchResult;
import java.time.Duration;
import java.time.Instant;

/** Builds the records of a run at each of its stages. */
public final class Records {
  private Records() {}

  /** What a run is known to be before it starts. */
  record Start(
      ExecutionId id,
      ExecutionRequest request,
      Instant startedAt,
      Isolation isolation,
      ProcessIdentity supervisor) {}

  /** The write-ahead record: {@code process} exists and is about to run the script. */
  static ExecutionRecord running(
      Start start, JsonNode inputs, long inputBytes, ProcessIdentity process) {
    ExecutionRequest request = start.request();
    return new ExecutionRecord(
        start.id(),
        Status.RUNNING,
        request.script(),
        inputs,
        null,
        null,
        null,
        null,
        null,
        "",
        false,
        null,
        start.startedAt(),
        null,
        0,
        request.timeout().toMillis(),
        request.limits(),
        start.isolation(),
        null,
        null,
        inputBytes,
        0,
        ResourceUsage.UNKNOWN,
        request.requestedBy(),
        start.supervisor(),
        process,
        request.workflowRunId(),
        request.stepId());
  }

  /** The terminal record of a run that ended as {@code outcome}. */
  static ExecutionRecord closed(
      Start start,
      Outcome outcome,
      JsonNode inputs,
      long inputBytes,
      LaunchResult result,
      ProcessIdentity process,
      Instant finishedAt) {
    ExecutionRequest request = start.request();
    LaunchResult.Completed completed =
        result instanceof LaunchResult.Completed ? (LaunchResult.Completed) result : null;
    Interpreter interpreter =
        completed != null
            ? completed.interpreter()
            : result instanceof LaunchResult.NotStarted
                ? ((LaunchResult.NotStarted) result).interpreter()
                : null;
    return new ExecutionRecord(
        start.id(),
        outcome.status(),
        request.script(),
        inputs,
        outcome instanceof Outcome.Succeeded ? ((Outcome.Succeeded) outcome).output() : null,
        ExitFields.exitCode(completed),
        ExitFields.signal(completed),
        ExitFields.endedBy(completed),
        outcome instanceof Outcome.Cancelled ? ((Outcome.Cancelled) outcome).request() : null,
        completed == null ? "" : completed.stderr(),
        completed != null && completed.stderrTruncated(),
        ErrorMessages.of(outcome, request.script(), request.grace()),
        start.startedAt(),
        finishedAt,
        finishedAt.toEpochMilli() - start.startedAt().toEpochMilli(),
        request.timeout().toMillis(),
        request.limits(),
        start.isolation(),
        interpreter,
        completed == null ? null : completed.scriptSha256(),
        inputBytes,
        completed == null ? 0 : completed.stdout().length,
        completed == null ? ResourceUsage.UNKNOWN : completed.usage(),
        request.requestedBy(),
        result == null ? null : start.supervisor(),
        process,
        request.workflowRunId(),
        request.stepId());
  }

  /** A RUNNING record closed as ABANDONED at {@code now}. */
  public static ExecutionRecord abandoned(ExecutionRecord running, String reason, Instant now) {
    Outcome.Abandoned outcome = new Outcome.Abandoned(reason);
    return new ExecutionRecord(
        running.id(),
        Status.ABANDONED,
        running.script(),
        running.inputs(),
        null,
        null,
        null,
        null,
        null,
        running.stderr(),
        running.stderrTruncated(),
        ErrorMessages.of(outcome, running.script(), Duration.ZERO),
        running.startedAt(),
        now,
        Math.max(0, now.toEpochMilli() - running.startedAt().toEpochMilli()),
        running.timeoutMs(),
        running.limits(),
        running.isolation(),
        running.interpreter(),
        running.scriptSha256(),
        running.inputBytes(),
        0,
        running.usage(),
        running.requestedBy(),
        running.supervisor(),
        running.process(),
        running.workflowRunId(),
        running.stepId());
  }
}
