package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.port.WorkflowRunStore;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The workflow runs of the history, in the same database as the executions. */
final class JdbiWorkflowRunStore implements WorkflowRunStore {
  private final HistoryDatabase database;

  @Inject
  JdbiWorkflowRunStore(HistoryDatabase database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  @Override
  public void insert(WorkflowRun run) {
    WorkflowRunDao.Row row = WorkflowRunDao.Row.of(run);
    database.call(
        session -> {
          session.handle().attach(WorkflowRunDao.class).insert(row);
          return null;
        });
  }

  @Override
  public boolean finish(WorkflowRun run) {
    WorkflowRunDao.Row row = WorkflowRunDao.Row.of(run);
    return database.call(session -> session.handle().attach(WorkflowRunDao.class).finish(row)) == 1;
  }

  @Override
  public Optional<WorkflowRun> find(String id) {
    return database
        .call(session -> session.handle().attach(WorkflowRunDao.class).find(id))
        .map(WorkflowRunDao.Row::toRecord);
  }

  @Override
  public List<WorkflowRun> findByPrefix(String prefix, int max) {
    String like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return database
        .call(session -> session.handle().attach(WorkflowRunDao.class).findByPrefix(like, max))
        .stream()
        .map(WorkflowRunDao.Row::toRecord)
        .toList();
  }

  @Override
  public List<WorkflowRun> list(Optional<Status> status, Optional<HistoryCursor> after, int max) {
    String wanted = status.map(Status::name).orElse(null);
    Long afterTime = after.map(c -> c.startedAt().toEpochMilli()).orElse(null);
    String afterId = after.map(c -> c.id().value()).orElse(null);
    return database
        .call(
            session ->
                session.handle().attach(WorkflowRunDao.class).list(wanted, afterTime, afterId, max))
        .stream()
        .map(WorkflowRunDao.Row::toRecord)
        .toList();
  }

  @Override
  public List<WorkflowRun> running() {
    return database
        .call(session -> session.handle().attach(WorkflowRunDao.class).running())
        .stream()
        .map(WorkflowRunDao.Row::toRecord)
        .toList();
  }
}
