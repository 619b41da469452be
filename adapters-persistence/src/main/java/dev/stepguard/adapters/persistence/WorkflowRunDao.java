package dev.stepguard.adapters.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepRun;
import dev.stepguard.core.model.WorkflowRun;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements of the workflow runs, each one transaction (auto-commit). */
interface WorkflowRunDao {
  String SELECT = "SELECT " + Row.COLUMNS + " FROM workflow_runs";

  @SqlUpdate(
      "INSERT INTO workflow_runs ("
          + Row.COLUMNS
          + ") VALUES (:id, :status, :workflow, :workflowSha256, :name, :inputs, :failedStep,"
          + " :steps, :output, :errorCode, :errorMessage, :startedAt, :finishedAt,"
          + " :requestedVia, :requestedBy, :supervisorHost, :supervisorPid,"
          + " :supervisorStartedAt, :supervisorBootId, :supervisorStartTicks)")
  void insert(@BindMethods Row row);

  @SqlUpdate(
      "UPDATE workflow_runs SET status = :status, inputs = :inputs, failed_step = :failedStep,"
          + " steps = :steps, output = :output, error_code = :errorCode,"
          + " error_message = :errorMessage, started_at = :startedAt, finished_at = :finishedAt"
          + " WHERE id = :id AND status = 'RUNNING'")
  int finish(@BindMethods Row row);

  @SqlQuery(SELECT + " WHERE id = :id")
  Optional<Row> find(@Bind("id") String id);

  @SqlQuery(SELECT + " WHERE id LIKE :prefix ESCAPE '\\' ORDER BY started_at DESC LIMIT :max")
  List<Row> findByPrefix(@Bind("prefix") String likePrefix, @Bind("max") int max);

  @SqlQuery(
      SELECT
          + " WHERE (CAST(:status AS VARCHAR) IS NULL OR status = :status)"
          + " AND (CAST(:afterTime AS BIGINT) IS NULL OR started_at < :afterTime"
          + " OR (started_at = :afterTime AND id < :afterId))"
          + " ORDER BY started_at DESC, id DESC LIMIT :max")
  List<Row> list(
      @Bind("status") String status,
      @Bind("afterTime") Long afterTime,
      @Bind("afterId") String afterId,
      @Bind("max") int max);

  @SqlQuery(SELECT + " WHERE status = 'RUNNING'")
  List<Row> running();

  /**
   * One row of the {@code workflow_runs} table, and its record. The statements bind its components
   * by name with {@code @BindMethods}, which reads only public types (see {@link
   * ExecutionDao.Row}).
   */
  record Row(
      String id,
      String status,
      String workflow,
      String workflowSha256,
      String name,
      String inputs,
      String failedStep,
      String steps,
      String output,
      String errorCode,
      String errorMessage,
      long startedAt,
      Long finishedAt,
      String requestedVia,
      String requestedBy,
      String supervisorHost,
      Long supervisorPid,
      Long supervisorStartedAt,
      String supervisorBootId,
      Long supervisorStartTicks) {

    static final String COLUMNS =
        "id, status, workflow, workflow_sha256, name, inputs, failed_step, steps, output,"
            + " error_code, error_message, started_at, finished_at, requested_via, requested_by,"
            + " supervisor_host, supervisor_pid, supervisor_started_at, supervisor_boot_id,"
            + " supervisor_start_ticks";

    /** A step as stored in the {@code steps} column. */
    record Step(String id, String executionId, String status) {}

    static Row of(WorkflowRun r) {
      ProcessIdentity supervisor = r.supervisor();
      List<Step> steps =
          r.steps().stream()
              .map(
                  s ->
                      new Step(
                          s.id(),
                          s.executionId() == null ? null : s.executionId().value(),
                          s.status().name()))
              .toList();
      return new Row(
          r.id(),
          r.status().name(),
          r.workflow(),
          r.workflowSha256(),
          r.name(),
          JsonColumns.text(r.inputs()),
          r.failedStep(),
          JsonColumns.text(steps),
          JsonColumns.text(r.output()),
          r.error() == null ? null : r.error().code(),
          r.error() == null ? null : r.error().message(),
          r.startedAt().toEpochMilli(),
          r.finishedAt() == null ? null : r.finishedAt().toEpochMilli(),
          r.requestedBy().channel().name(),
          r.requestedBy().name(),
          supervisor == null ? null : supervisor.host(),
          supervisor == null ? null : supervisor.pid(),
          supervisor == null ? null : supervisor.startedAt().toEpochMilli(),
          supervisor == null ? null : supervisor.bootId(),
          supervisor == null ? null : supervisor.startTicks());
    }

    WorkflowRun toRecord() {
      List<Step> stored = JsonColumns.read(steps, new TypeReference<List<Step>>() {});
      return new WorkflowRun(
          id,
          workflow,
          workflowSha256,
          name,
          JsonColumns.tree(inputs),
          Status.valueOf(status),
          failedStep,
          stored.stream()
              .map(
                  s ->
                      new StepRun(
                          s.id(),
                          s.executionId() == null ? null : new ExecutionId(s.executionId()),
                          Status.valueOf(s.status())))
              .toList(),
          JsonColumns.tree(output),
          errorCode == null ? null : new ErrorInfo(errorCode, errorMessage),
          Instant.ofEpochMilli(startedAt),
          finishedAt == null ? null : Instant.ofEpochMilli(finishedAt),
          new Requester(Requester.Channel.valueOf(requestedVia), requestedBy),
          ExecutionDao.Row.identity(
              supervisorHost,
              supervisorPid,
              supervisorStartedAt,
              supervisorBootId,
              supervisorStartTicks));
    }
  }
}
