package dev.stepguard.core.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.CancelRequest;
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

  /**
   * What a run is known to be before it starts.
   *
   * @param accepted whether it was recorded queued beforehand (its records then replace that one)
   */
  record Start(
      ExecutionId id,
      ExecutionRequest request,
      Instant startedAt,
      Isolation isolation,
      ProcessIdentity supervisor,
      boolean accepted) {}

  /** The record of a run accepted and waiting for a slot: RUNNING, owned by this process. */
  static ExecutionRecord queued(Start start, JsonNode inputs, long inputBytes) {
    return running(start, inputs, inputBytes, null);
  }

  /**
   * The write-ahead record: {@code process} exists and is about to run the script (null while the
   * run is queued).
   */
  static ExecutionRecord running(
      Start start, JsonNode inputs, long inputBytes, ProcessIdentity process) {
    ExecutionRequest request = start.request();
    return ExecutionRecord.builder()
        .id(start.id())
        .status(Status.RUNNING)
        .script(request.script())
        .inputs(inputs)
        .startedAt(start.startedAt())
        .timeoutMs(request.timeout().toMillis())
        .limits(request.limits())
        .isolation(start.isolation())
        .inputBytes(inputBytes)
        .requestedBy(request.requestedBy())
        .supervisor(start.supervisor())
        .process(process)
        .workflowRunId(request.workflowRunId())
        .stepId(request.stepId())
        .build();
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
    LaunchResult.Completed completed = result instanceof LaunchResult.Completed c ? c : null;
    Interpreter interpreter =
        completed != null
            ? completed.interpreter()
            : result instanceof LaunchResult.NotStarted notStarted
                ? notStarted.interpreter()
                : null;
    return ExecutionRecord.builder()
        .id(start.id())
        .status(outcome.status())
        .script(request.script())
        .inputs(inputs)
        .output(outcome instanceof Outcome.Succeeded succeeded ? succeeded.output() : null)
        .exitCode(ExitFields.exitCode(completed))
        .signal(ExitFields.signal(completed))
        .endedBy(ExitFields.endedBy(completed))
        .cancelledBy(outcome instanceof Outcome.Cancelled cancelled ? cancelled.request() : null)
        .stderr(completed == null ? "" : completed.stderr())
        .stderrTruncated(completed != null && completed.stderrTruncated())
        .error(ErrorMessages.of(outcome, request.script(), request.grace()))
        .startedAt(start.startedAt())
        .finishedAt(finishedAt)
        .durationMs(finishedAt.toEpochMilli() - start.startedAt().toEpochMilli())
        .timeoutMs(request.timeout().toMillis())
        .limits(request.limits())
        .isolation(start.isolation())
        .interpreter(interpreter)
        .scriptSha256(completed == null ? null : completed.scriptSha256())
        .inputBytes(inputBytes)
        .outputBytes(completed == null ? 0 : completed.stdout().length)
        .usage(completed == null ? ResourceUsage.UNKNOWN : completed.usage())
        .requestedBy(request.requestedBy())
        .supervisor(result == null ? null : start.supervisor())
        .process(process)
        .workflowRunId(request.workflowRunId())
        .stepId(request.stepId())
        .build();
  }

  /** A queued record closed as CANCELLED by {@code cancel} at {@code now}: nothing ran. */
  static ExecutionRecord withdrawn(ExecutionRecord queued, CancelRequest cancel, Instant now) {
    Outcome.Cancelled outcome = new Outcome.Cancelled(cancel, 0);
    return queued.toBuilder()
        .status(Status.CANCELLED)
        .cancelledBy(cancel)
        .error(ErrorMessages.of(outcome, queued.script(), Duration.ZERO))
        .supervisor(null)
        .finishedAt(now)
        .durationMs(Math.max(0, now.toEpochMilli() - queued.startedAt().toEpochMilli()))
        .build();
  }

  /** A RUNNING record closed as ABANDONED at {@code now}. */
  public static ExecutionRecord abandoned(ExecutionRecord running, String reason, Instant now) {
    Outcome.Abandoned outcome = new Outcome.Abandoned(reason);
    return running.toBuilder()
        .status(Status.ABANDONED)
        .output(null)
        .exitCode(null)
        .signal(null)
        .endedBy(null)
        .cancelledBy(null)
        .error(ErrorMessages.of(outcome, running.script(), Duration.ZERO))
        .finishedAt(now)
        .durationMs(Math.max(0, now.toEpochMilli() - running.startedAt().toEpochMilli()))
        .outputBytes(0)
        .build();
  }
}
