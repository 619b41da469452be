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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements of the execution history, each one transaction (auto-commit). */
interface ExecutionDao {
  String SELECT = "SELECT " + Row.COLUMNS + " FROM executions";

  @SqlUpdate(
      "INSERT INTO executions ("
          + Row.COLUMNS
          + ") VALUES (:seq, :id, :status, :script, :inputs, :output, :exitCode,"
          + " :signalName, :endedBy, :stderr, :stderrTruncated, :errorCode,"
          + " :errorMessage, :startedAt, :finishedAt, :durationMs, :timeoutMs,"
          + " :limits, :isolation, :interpreterPath, :interpreterVersion,"
          + " :scriptSha256, :inputBytes, :outputBytes, :cpuMs, :maxRssKib, :runPeakKib,"
          + " :memoryCap, :processCap,"
          + " :requestedVia, :requestedBy, :supervisorHost, :supervisorPid,"
          + " :supervisorStartedAt, :processHost, :processPid, :processStartedAt,"
          + " :workflowRunId, :stepId, :supervisorBootId, :supervisorStartTicks,"
          + " :processBootId, :processStartTicks, :cancelCause, :cancelledVia, :cancelledBy)")
  void insert(@BindMethods Row row);

  /** A queued run (RUNNING, no process yet) starts: its process and start time. */
  @SqlUpdate(
      "UPDATE executions SET inputs = :inputs, input_bytes = :inputBytes,"
          + " started_at = :startedAt, isolation = :isolation,"
          + " supervisor_host = :supervisorHost, supervisor_pid = :supervisorPid,"
          + " supervisor_started_at = :supervisorStartedAt,"
          + " supervisor_boot_id = :supervisorBootId,"
          + " supervisor_start_ticks = :supervisorStartTicks,"
          + " process_host = :processHost, process_pid = :processPid,"
          + " process_started_at = :processStartedAt, process_boot_id = :processBootId,"
          + " process_start_ticks = :processStartTicks"
          + " WHERE id = :id AND status = 'RUNNING' AND process_host IS NULL")
  int start(@BindMethods Row row);

  @SqlUpdate(
      "UPDATE executions SET status = :status, inputs = :inputs, output = :output,"
          + " exit_code = :exitCode, signal_name = :signalName, ended_by = :endedBy,"
          + " stderr = :stderr, stderr_truncated = :stderrTruncated,"
          + " error_code = :errorCode, error_message = :errorMessage,"
          + " started_at = :startedAt, finished_at = :finishedAt, duration_ms = :durationMs,"
          + " interpreter_path = :interpreterPath, interpreter_version = :interpreterVersion,"
          + " script_sha256 = :scriptSha256, output_bytes = :outputBytes, cpu_ms = :cpuMs,"
          + " max_rss_kib = :maxRssKib, run_peak_kib = :runPeakKib, memory_cap = :memoryCap,"
          + " process_cap = :processCap, supervisor_host = :supervisorHost,"
          + " supervisor_pid = :supervisorPid, supervisor_started_at = :supervisorStartedAt,"
          + " process_host = :processHost, process_pid = :processPid,"
          + " process_started_at = :processStartedAt, supervisor_boot_id = :supervisorBootId,"
          + " supervisor_start_ticks = :supervisorStartTicks, process_boot_id = :processBootId,"
          + " process_start_ticks = :processStartTicks, cancel_cause = :cancelCause,"
          + " cancelled_via = :cancelledVia, cancelled_by = :cancelledBy"
          + " WHERE id = :id AND status = 'RUNNING'")
  int finish(@BindMethods Row row);

  @SqlQuery("SELECT COUNT(*) > 0 FROM executions WHERE id = :id AND seq = :seq")
  boolean stored(@Bind("id") String id, @Bind("seq") long seq);

  @SqlQuery(SELECT + " WHERE id = :id")
  Optional<Row> find(@Bind("id") String id);

  /** Whether the run is queued: RUNNING with no process yet, as {@link #start} takes it. */
  @SqlQuery(
      "SELECT COUNT(*) > 0 FROM executions"
          + " WHERE id = :id AND status = 'RUNNING' AND process_host IS NULL")
  boolean queued(@Bind("id") String id);

  @SqlQuery(SELECT + " WHERE id LIKE :prefix ESCAPE '\\' ORDER BY seq DESC LIMIT :max")
  List<Row> findByPrefix(@Bind("prefix") String likePrefix, @Bind("max") int max);

  @SqlQuery(SELECT + " WHERE status = 'RUNNING' ORDER BY status DESC, seq DESC")
  List<Row> running();

  /**
   * The order key of the oldest of the {@code skip + 1} newest runs: pruning keeps it and newer.
   */
  @SqlQuery("SELECT seq FROM executions ORDER BY seq DESC LIMIT 1 OFFSET :skip")
  Optional<Long> keepBoundary(@Bind("skip") int skip);

  @SqlUpdate("DELETE FROM executions WHERE status <> 'RUNNING' AND seq < :before AND seq < :kept")
  int prune(@Bind("before") long beforeSeq, @Bind("kept") long keptSeq);

  /**
   * One row of the {@code executions} table, column for column, and its record. The statements bind
   * its components by name with {@code @BindMethods}, which reads only public types: hence a member
   * of this package-private interface (implicitly public) rather than a top-level class.
   */
  record Row(
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
    static Row of(ExecutionRecord r, long seq) {
      ProcessIdentity supervisor = r.supervisor();
      ProcessIdentity process = r.process();
      return new Row(
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

    ExecutionRecord toRecord() {
      return ExecutionRecord.builder()
          .id(new ExecutionId(id))
          .status(Status.valueOf(status))
          .script(script)
          .inputs(JsonColumns.tree(inputs))
          .output(JsonColumns.tree(output))
          .exitCode(exitCode)
          .signal(signalName)
          .endedBy(endedBy)
          .cancelledBy(
              cancelCause == null
                  ? null
                  : new CancelRequest(
                      cancelCause,
                      new Requester(Requester.Channel.valueOf(cancelledVia), cancelledBy)))
          .stderr(stderr)
          .stderrTruncated(stderrTruncated)
          .error(errorCode == null ? null : new ErrorInfo(errorCode, errorMessage))
          .startedAt(Instant.ofEpochMilli(startedAt))
          .finishedAt(finishedAt == null ? null : Instant.ofEpochMilli(finishedAt))
          .durationMs(durationMs)
          .timeoutMs(timeoutMs)
          .limits(JsonColumns.read(limits, new TypeReference<Limits>() {}))
          .isolation(Isolation.valueOf(isolation))
          .interpreter(
              interpreterPath == null ? null : new Interpreter(interpreterPath, interpreterVersion))
          .scriptSha256(scriptSha256)
          .inputBytes(inputBytes)
          .outputBytes(outputBytes)
          .usage(new ResourceUsage(cpuMs, maxRssKib, runPeakKib, cap(memoryCap), cap(processCap)))
          .requestedBy(new Requester(Requester.Channel.valueOf(requestedVia), requestedBy))
          .supervisor(
              identity(
                  supervisorHost,
                  supervisorPid,
                  supervisorStartedAt,
                  supervisorBootId,
                  supervisorStartTicks))
          .process(
              identity(processHost, processPid, processStartedAt, processBootId, processStartTicks))
          .workflowRunId(workflowRunId)
          .stepId(stepId)
          .build();
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
}
