package dev.stepguard.adapters.persistence;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMap;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements of the workflow runs, each one transaction (auto-commit). */
interface WorkflowRunDao {
  String SELECT = "SELECT " + WorkflowRunRow.COLUMNS + " FROM workflow_runs";

  @SqlUpdate(
      "INSERT INTO workflow_runs ("
          + WorkflowRunRow.COLUMNS
          + ") VALUES (:id, :status, :workflow, :workflowSha256, :name, :inputs, :failedStep,"
          + " :steps, :output, :errorCode, :errorMessage, :startedAt, :finishedAt,"
          + " :requestedVia, :requestedBy, :supervisorHost, :supervisorPid,"
          + " :supervisorStartedAt, :supervisorBootId, :supervisorStartTicks)")
  void insert(@BindMap Map<String, Object> row);

  @SqlUpdate(
      "UPDATE workflow_runs SET status = :status, inputs = :inputs, failed_step = :failedStep,"
          + " steps = :steps, output = :output, error_code = :errorCode,"
          + " error_message = :errorMessage, finished_at = :finishedAt"
          + " WHERE id = :id AND status = 'RUNNING'")
  int finish(@BindMap Map<String, Object> row);

  @SqlQuery(SELECT + " WHERE id = :id")
  Optional<WorkflowRunRow> find(@Bind("id") String id);

  @SqlQuery(SELECT + " WHERE status = 'RUNNING'")
  List<WorkflowRunRow> running();
}
