package dev.stepguard.adapters.persistence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMap;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements of the execution history, each one transaction (auto-commit). */
interface ExecutionDao {
  String SELECT = "SELECT " + ExecutionRow.COLUMNS + " FROM executions";

  @SqlUpdate(
      "INSERT INTO executions ("
          + ExecutionRow.COLUMNS
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
  void insert(@BindMap Map<String, Object> row);

  @SqlUpdate(
      "UPDATE executions SET status = :status, inputs = :inputs, output = :output,"
          + " exit_code = :exitCode, signal_name = :signalName, ended_by = :endedBy,"
          + " stderr = :stderr, stderr_truncated = :stderrTruncated,"
          + " error_code = :errorCode, error_message = :errorMessage,"
          + " finished_at = :finishedAt, duration_ms = :durationMs,"
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
  int finish(@BindMap Map<String, Object> row);

  @SqlQuery("SELECT COUNT(*) > 0 FROM executions WHERE id = :id AND seq = :seq")
  boolean stored(@Bind("id") String id, @Bind("seq") long seq);

  @SqlQuery(SELECT + " WHERE id = :id")
  Optional<ExecutionRow> find(@Bind("id") String id);

  @SqlQuery(SELECT + " WHERE id LIKE :prefix ESCAPE '\\' ORDER BY seq DESC LIMIT :max")
  List<ExecutionRow> findByPrefix(@Bind("prefix") String likePrefix, @Bind("max") int max);

  @SqlQuery(SELECT + " WHERE status = 'RUNNING' ORDER BY status DESC, seq DESC")
  List<ExecutionRow> running();

  /**
   * The order key of the oldest of the {@code skip + 1} newest runs: pruning keeps it and newer.
   */
  @SqlQuery("SELECT seq FROM executions ORDER BY seq DESC LIMIT 1 OFFSET :skip")
  Optional<Long> keepBoundary(@Bind("skip") int skip);

  @SqlUpdate("DELETE FROM executions WHERE status <> 'RUNNING' AND seq < :before AND seq < :kept")
  int prune(@Bind("before") long beforeSeq, @Bind("kept") long keptSeq);
}
