package dev.stepguard.adapters.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.model.ResourceUsage;
import dev.stepguard.core.model.Status;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** One row of the {@code executions} table, column for column, and its record. */
record ExecutionRow(
    long seq,
    String id,
    String status,
    String script,
    String inputs,
    String output,
    Integer exitCode,
    String signalName,
    String endedBy,
    String stderr,
    boolean stderrTruncated,
    String errorCode,
    String errorMessage,
    long startedAt,
    Long finishedAt,
    long durationMs,
    long timeoutMs,
    String limits,
    String isolation,
    String interpreterPath,
    String interpreterVersion,
    String scriptSha256,
    long inputBytes,
    long outputBytes,
    long cpuMs,
    long maxRssKib,
    long runPeakKib,
    String memoryCap,
    String processCap,
    String requestedVia,
    String requestedBy,
    String supervisorHost,
    Long supervisorPid,
    Long supervisorStartedAt,
    String processHost,
    Long processPid,
    Long processStartedAt,
    String workflowRunId,
    String stepId,
    String supervisorBootId,
    Long supervisorStartTicks,
    String processBootId,
    Long processStartTicks,
    String cancelCause,
    String cancelledVia,
    String cancelledBy) {

  static final String COLUMNS =
      "seq, id, status, script, inputs, output, exit_code, signal_name, ended_by, stderr,"
          + " stderr_truncated, error_code, error_message, started_at, finished_at, duration_ms,"
          + " timeout_ms, limits, isolation, interpreter_path, interpreter_version, script_sha256,"
          + " input_bytes, output_bytes, cpu_ms, max_rss_kib, run_peak_kib, memory_cap, process_cap,"
          + " requested_via, requested_by,"
          + " supervisor_host, supervisor_pid, supervisor_started_at, process_host, process_pid,"
          + " process_started_at, workflow_run_id, step_id, supervisor_boot_id,"
          + " supervisor_start_ticks, process_boot_id, process_start_ticks, cancel_cause,"
          + " cancelled_via, cancelled_by";

  /** The script column's size: longer text (only ever in a refused run) is cut to fit. */
  static final int SCRIPT_COLUMN = 4200;

  /** The row of {@code r}, ordered in the history by {@code seq} (see {@link Seq}). */
  static ExecutionRow of(ExecutionRecord r, long seq) {
    ProcessIdentity supervisor = r.supervisor();
    ProcessIdentity process = r.process();
    return new ExecutionRow(
        seq,
        r.id().value(),
        r.status().name(),
        r.script().length() > SCRIPT_COLUMN ? r.script().substring(0, SCRIPT_COLUMN) : r.script(),
        JsonColumns.text(r.inputs()),
        JsonColumns.text(r.output()),
        r.exitCode(),
        r.signal(),
        r.endedBy(),
        r.stderr(),
        r.stderrTruncated(),
        r.error() == null ? null : r.error().code(),
        r.error() == null ? null : r.error().message(),
        r.startedAt().toEpochMilli(),
        r.finishedAt() == null ? null : r.finishedAt().toEpochMilli(),
        r.durationMs(),
        r.timeoutMs(),
        JsonColumns.text(r.limits()),
        r.isolation().name(),
        r.interpreter() == null ? null : r.interpreter().path(),
        r.interpreter() == null ? null : r.interpreter().version(),
        r.scriptSha256(),
        r.inputBytes(),
        r.outputBytes(),
        r.usage().cpuMs(),
        r.usage().maxRssKib(),
        r.usage().runPeakKib(),
        cap(r.usage().memoryCap()),
        cap(r.usage().processCap()),
        r.requestedBy().channel().name(),
        r.requestedBy().name(),
        supervisor == null ? null : supervisor.host(),
        supervisor == null ? null : supervisor.pid(),
        supervisor == null ? null : supervisor.startedAt().toEpochMilli(),
        process == null ? null : process.host(),
        process == null ? null : process.pid(),
        process == null ? null : process.startedAt().toEpochMilli(),
        r.workflowRunId(),
        r.stepId(),
        supervisor == null ? null : supervisor.bootId(),
        supervisor == null ? null : supervisor.startTicks(),
        process == null ? null : process.bootId(),
        process == null ? null : process.startTicks(),
        r.cancelledBy() == null ? null : r.cancelledBy().cause(),
        r.cancelledBy() == null ? null : r.cancelledBy().requester().channel().name(),
        r.cancelledBy() == null ? null : r.cancelledBy().requester().name());
  }

  /** The named parameters of the insert and update statements: one per column. */
  Map<String, Object> parameters() {
    Map<String, Object> values = new HashMap<>();
    values.put("seq", seq);
    values.put("id", id);
    values.put("status", status);
    values.put("script", script);
    values.put("inputs", inputs);
    values.put("output", output);
    values.put("exitCode", exitCode);
    values.put("signalName", signalName);
    values.put("endedBy", endedBy);
    values.put("stderr", stderr);
    values.put("stderrTruncated", stderrTruncated);
    values.put("errorCode", errorCode);
    values.put("errorMessage", errorMessage);
    values.put("startedAt", startedAt);
    values.put("finishedAt", finishedAt);
    values.put("durationMs", durationMs);
    values.put("timeoutMs", timeoutMs);
    values.put("limits", limits);
    values.put("isolation", isolation);
    values.put("interpreterPath", interpreterPath);
    values.put("interpreterVersion", interpreterVersion);
    values.put("scriptSha256", scriptSha256);
    values.put("inputBytes", inputBytes);
    values.put("outputBytes", outputBytes);
    values.put("cpuMs", cpuMs);
    values.put("maxRssKib", maxRssKib);
    values.put("runPeakKib", runPeakKib);
    values.put("memoryCap", memoryCap);
    values.put("processCap", processCap);
    values.put("requestedVia", requestedVia);
    values.put("requestedBy", requestedBy);
    values.put("supervisorHost", supervisorHost);
    values.put("supervisorPid", supervisorPid);
    values.put("supervisorStartedAt", supervisorStartedAt);
    values.put("processHost", processHost);
    values.put("processPid", processPid);
    values.put("processStartedAt", processStartedAt);
    values.put("workflowRunId", workflowRunId);
    values.put("stepId", stepId);
    values.put("supervisorBootId", supervisorBootId);
    values.put("supervisorStartTicks", supervisorStartTicks);
    values.put("processBootId", processBootId);
    values.put("processStartTicks", processStartTicks);
    values.put("cancelCause", cancelCause);
    values.put("cancelledVia", cancelledVia);
    values.put("cancelledBy", cancelledBy);
    return values;
  }

  ExecutionRecord toRecord() {
    return new ExecutionRecord(
        new ExecutionId(id),
        Status.valueOf(status),
        script,
        JsonColumns.tree(inputs),
        JsonColumns.tree(output),
        exitCode,
        signalName,
        endedBy,
        cancelCause == null
            ? null
            : new CancelRequest(
                cancelCause, new Requester(Requester.Channel.valueOf(cancelledVia), cancelledBy)),
        stderr,
        stderrTruncated,
        errorCode == null ? null : new ErrorInfo(errorCode, errorMessage),
        Instant.ofEpochMilli(startedAt),
        finishedAt == null ? null : Instant.ofEpochMilli(finishedAt),
        durationMs,
        timeoutMs,
        JsonColumns.read(limits, new TypeReference<Limits>() {}),
        Isolation.valueOf(isolation),
        interpreterPath == null ? null : new Interpreter(interpreterPath, interpreterVersion),
        scriptSha256,
        inputBytes,
        outputBytes,
        new ResourceUsage(cpuMs, maxRssKib, runPeakKib, cap(memoryCap), cap(processCap)),
        new Requester(Requester.Channel.valueOf(requestedVia), requestedBy),
        identity(
            supervisorHost,
            supervisorPid,
            supervisorStartedAt,
            supervisorBootId,
            supervisorStartTicks),
        identity(processHost, processPid, processStartedAt, processBootId, processStartTicks),
        workflowRunId,
        stepId);
  }

  private static String cap(ResourceCap cap) {
    return cap == null ? null : cap.label();
  }

  private static ResourceCap cap(String label) {
    return label == null ? null : ResourceCap.valueOf(label.toUpperCase(Locale.ROOT));
  }

  /** A stored identity; one recorded before boot id and start ticks were kept has neither. */
  static ProcessIdentity identity(
      String host, Long pid, Long startedAt, String bootId, Long startTicks) {
    if (host == null) {
      return null;
    }
    boolean marked = bootId != null && startTicks != null;
    return new ProcessIdentity(
        host,
        pid,
        Instant.ofEpochMilli(startedAt),
        marked ? bootId : null,
        marked ? startTicks : null);
  }
}
