package dev.stepguard.core.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * The audit record of one run, as docs/history.md ("What a record holds") describes it field by
 * field. Nullable components are null where they do not apply (no exit code for a rejected run, no
 * output for a failed one). Build one with {@link #builder()}, which names every part it is given.
 *
 * @param endedBy the signal stepguard ended the script with, after a timeout or a cancellation
 * @param cancelledBy why and by whom a CANCELLED run was stopped; null for any other status
 * @param requestedBy who asked for the run
 * @param supervisor the stepguard process that ran it; null for a run refused before launch
 * @param process the script's process (the sandbox's, in sandbox isolation), or null if none
 *     started
 */
public record ExecutionRecord(
    ExecutionId id,
    Status status,
    String script,
    JsonNode inputs,
    JsonNode output,
    Integer exitCode,
    String signal,
    String endedBy,
    CancelRequest cancelledBy,
    String stderr,
    boolean stderrTruncated,
    ErrorInfo error,
    Instant startedAt,
    Instant finishedAt,
    long durationMs,
    long timeoutMs,
    Limits limits,
    Isolation isolation,
    Interpreter interpreter,
    String scriptSha256,
    long inputBytes,
    long outputBytes,
    ResourceUsage usage,
    Requester requestedBy,
    ProcessIdentity supervisor,
    ProcessIdentity process,
    String workflowRunId,
    String stepId) {

  public ExecutionRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(stderr, "stderr");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(requestedBy, "requestedBy");
    if ((status == Status.CANCELLED) != (cancelledBy != null)) {
      throw new IllegalArgumentException("cancelledBy must be set exactly for a cancelled run");
    }
    if ((status == Status.SUCCEEDED || status == Status.RUNNING) != (error == null)) {
      throw new IllegalArgumentException("error must be set exactly when the run did not succeed");
    }
  }

  /**
   * Whether the run is queued: accepted and recorded RUNNING, its script not started yet (waiting
   * for a slot, or about to start in one; no process yet). Its {@code startedAt} is then when it
   * was accepted.
   */
  @JsonProperty("queued")
  public boolean queued() {
    return status == Status.RUNNING && process == null;
  }

  /** A builder with nothing set: every call site names the parts it gives. */
  public static ExecutionRecordBuilder builder() {
    return new ExecutionRecordBuilder();
  }

  /** A builder holding this record's parts, to derive the record of a later stage. */
  public ExecutionRecordBuilder toBuilder() {
    return new ExecutionRecordBuilder(this);
  }

  /** This record with the parts that may hold a secret replaced, as stored after redaction. */
  public ExecutionRecord withStoredText(
      JsonNode newInputs, JsonNode newOutput, String newStderr, ErrorInfo newError) {
    return toBuilder()
        .inputs(newInputs)
        .output(newOutput)
        .stderr(newStderr)
        .error(newError)
        .build();
  }
}
