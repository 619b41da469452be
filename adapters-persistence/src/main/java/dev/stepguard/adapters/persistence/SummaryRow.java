package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionSummary;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import java.time.Instant;

/**
 * The columns of a history listing: no inputs, output or stderr, only their sizes. The sizes of
 * input and output are columns of their own; that of stderr (at most the stderr tail limit) is
 * asked of the database, which knows it without handing over the text.
 */
record SummaryRow(
    String id,
    String status,
    String script,
    Integer exitCode,
    String errorCode,
    String errorMessage,
    long startedAt,
    Long finishedAt,
    long durationMs,
    long inputBytes,
    long outputBytes,
    long stderrBytes,
    String requestedVia,
    String requestedBy,
    String workflowRunId,
    String stepId,
    boolean queued) {

  static final String SELECT =
      "SELECT id, status, script, exit_code, error_code, error_message, started_at, finished_at,"
          + " duration_ms, input_bytes, output_bytes, OCTET_LENGTH(stderr) AS stderr_bytes,"
          + " requested_via, requested_by, workflow_run_id, step_id,"
          + " (status = 'RUNNING' AND process_host IS NULL) AS queued FROM executions";

  ExecutionSummary toSummary() {
    return new ExecutionSummary(
        new ExecutionId(id),
        Status.valueOf(status),
        script,
        exitCode,
        errorCode == null ? null : new ErrorInfo(errorCode, errorMessage),
        Instant.ofEpochMilli(startedAt),
        finishedAt == null ? null : Instant.ofEpochMilli(finishedAt),
        durationMs,
        inputBytes,
        outputBytes,
        stderrBytes,
        new Requester(Requester.Channel.valueOf(requestedVia), requestedBy),
        workflowRunId,
        stepId,
        queued);
  }
}
