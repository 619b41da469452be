package dev.stepguard.core.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;

/**
 * One run in a history listing: what it was, how it ended and how large its parts are, without the
 * parts themselves (inputs, output and stderr stay in the run's {@link ExecutionRecord}). Nullable
 * components are null where the record's are.
 *
 * @param inputBytes the size of the input, as the record gives it
 * @param outputBytes the size of the script's output, as the record gives it
 * @param stderrBytes the size in UTF-8 bytes of the stderr the record keeps
 * @param queued whether the run is RUNNING but not started yet ({@link ExecutionRecord#queued()})
 */
public record ExecutionSummary(
    ExecutionId id,
    Status status,
    String script,
    Integer exitCode,
    ErrorInfo error,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    long inputBytes,
    long outputBytes,
    long stderrBytes,
    Requester requestedBy,
    String workflowRunId,
    String stepId,
    boolean queued) {

  public ExecutionSummary {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(requestedBy, "requestedBy");
  }

  /** The summary of {@code record}. */
  public static ExecutionSummary of(ExecutionRecord record) {
    return new ExecutionSummary(
        record.id(),
        record.status(),
        record.script(),
        record.exitCode(),
        record.error(),
        record.startedAt(),
        record.finishedAt(),
        record.durationMs(),
        record.inputBytes(),
        record.outputBytes(),
        record.stderr().getBytes(StandardCharsets.UTF_8).length,
        record.requestedBy(),
        record.workflowRunId(),
        record.stepId(),
        record.queued());
  }
}
