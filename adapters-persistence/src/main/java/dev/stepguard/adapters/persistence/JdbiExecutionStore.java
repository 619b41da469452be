package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.port.ExecutionStore;
import dev.stepguard.core.port.HistoryUnavailableException;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/** The execution history in a relational database, through JDBI's SqlObject statements. */
final class JdbiExecutionStore implements ExecutionStore {
  private final HistoryDatabase database;

  @Inject
  JdbiExecutionStore(HistoryDatabase database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  @Override
  public void insert(ExecutionRecord record) {
    Map<String, Object> row = ExecutionRow.of(record).parameters();
    dao(
        dao -> {
          dao.insert(row);
          return null;
        });
  }

  @Override
  public void started(ExecutionId id, ProcessIdentity process) {
    dao(
        dao ->
            dao.started(
                id.value(), process.host(), process.pid(), process.startedAt().toEpochMilli()));
  }

  @Override
  public boolean finish(ExecutionRecord record) {
    Map<String, Object> row = ExecutionRow.of(record).parameters();
    return dao(dao -> dao.finish(row)) == 1;
  }

  @Override
  public Optional<ExecutionRecord> find(ExecutionId id) {
    return dao(dao -> dao.find(id.value())).map(ExecutionRow::toRecord);
  }

  @Override
  public List<ExecutionRecord> findByPrefix(String prefix, int max) {
    String like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return records(dao(dao -> dao.findByPrefix(like, max)));
  }

  @Override
  public HistoryPage list(HistoryFilter filter) {
    HistoryQuery query = HistoryQuery.of(filter);
    List<ExecutionRow> rows =
        call(
            jdbi ->
                jdbi.withHandle(
                    handle ->
                        handle
                            .createQuery(query.sql())
                            .bindMap(query.parameters())
                            .mapTo(ExecutionRow.class)
                            .list()));
    return HistoryPage.of(records(rows), filter.limit());
  }

  @Override
  public List<ExecutionRecord> running() {
    return records(dao(ExecutionDao::running));
  }

  @Override
  public long prune(Instant before, int keep) {
    return call(
        jdbi ->
            jdbi.inTransaction(
                handle -> {
                  ExecutionDao dao = handle.attach(ExecutionDao.class);
                  if (keep == 0) {
                    return (long) dao.prune(before.toEpochMilli(), Long.MAX_VALUE, "");
                  }
                  return dao.keepBoundary(keep - 1)
                      .map(
                          kept ->
                              (long) dao.prune(before.toEpochMilli(), kept.startedAt(), kept.id()))
                      .orElse(0L);
                }));
  }

  private static List<ExecutionRecord> records(List<ExecutionRow> rows) {
    return rows.stream().map(ExecutionRow::toRecord).toList();
  }

  private <T> T dao(Function<ExecutionDao, T> statement) {
    return call(jdbi -> jdbi.withExtension(ExecutionDao.class, statement::apply));
  }

  private <T> T call(Function<Jdbi, T> work) {
    Jdbi jdbi = database.jdbi();
    try {
      return work.apply(jdbi);
    } catch (JdbiException e) {
      throw new HistoryUnavailableException(
          "the execution history at "
              + database.settings().location()
              + " could not be used: "
              + e.getMessage(),
          e);
    }
  }
}
