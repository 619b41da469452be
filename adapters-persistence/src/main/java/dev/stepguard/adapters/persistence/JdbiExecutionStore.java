package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.port.ExecutionStore;
import dev.stepguard.core.port.HistoryUnavailableException;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The execution history in a relational database, through JDBI's SqlObject statements. */
final class JdbiExecutionStore implements ExecutionStore {
  /** How often an insert draws a new order key after a clash (two runs in one millisecond). */
  static final int INSERT_ATTEMPTS = 3;

  private final HistoryDatabase database;

  @Inject
  JdbiExecutionStore(HistoryDatabase database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  @Override
  public void insert(ExecutionRecord record) {
    for (int attempt = 1; ; attempt++) {
      long seq = Seq.random(record.startedAt());
      ExecutionDao.Row row = ExecutionDao.Row.of(record, seq);
      try {
        database.call(
            session -> {
              session.dao().insert(row);
              return null;
            });
        return;
      } catch (HistoryUnavailableException e) {
        if (alreadyStored(record.id(), seq, e)) {
          return;
        }
        if (attempt == INSERT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Whether this very insert is there after all: a statement run again after the connection was
   * lost may find its first try committed. The random order key tells it from another record with
   * the same id, which is refused.
   */
  private boolean alreadyStored(ExecutionId id, long seq, HistoryUnavailableException failure) {
    try {
      return database.call(session -> session.dao().stored(id.value(), seq));
    } catch (HistoryUnavailableException stillUnavailable) {
      failure.addSuppressed(stillUnavailable);
      return false;
    }
  }

  @Override
  public boolean start(ExecutionRecord running) {
    ExecutionDao.Row row = ExecutionDao.Row.of(running, 0);
    return database.call(session -> session.dao().start(row)) == 1;
  }

  @Override
  public boolean finish(ExecutionRecord record) {
    ExecutionDao.Row row = ExecutionDao.Row.of(record, 0);
    return database.call(session -> session.dao().finish(row)) == 1;
  }

  @Override
  public Optional<ExecutionRecord> find(ExecutionId id) {
    return database.call(session -> session.dao().find(id.value())).map(ExecutionDao.Row::toRecord);
  }

  @Override
  public boolean queued(ExecutionId id) {
    return database.call(session -> session.dao().queued(id.value()));
  }

  @Override
  public List<ExecutionRecord> findByPrefix(String prefix, int max) {
    String like = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return records(database.call(session -> session.dao().findByPrefix(like, max)));
  }

  @Override
  public HistoryPage list(HistoryFilter filter) {
    HistoryQuery query = HistoryQuery.of(filter);
    List<SummaryRow> rows =
        database.call(
            session ->
                session
                    .handle()
                    .createQuery(query.sql())
                    .bindMap(query.parameters())
                    .mapTo(SummaryRow.class)
                    .list());
    return HistoryPage.of(rows.stream().map(SummaryRow::toSummary).toList(), filter.limit());
  }

  @Override
  public List<ExecutionRecord> running() {
    return records(database.call(session -> session.dao().running()));
  }

  @Override
  public long prune(Instant before, int keep) {
    return database.call(
        session ->
            session
                .handle()
                .inTransaction(
                    handle -> {
                      long kept =
                          keep == 0
                              ? Long.MAX_VALUE
                              : session.dao().keepBoundary(keep - 1).orElse(Long.MIN_VALUE);
                      long pruned = session.dao().prune(Seq.first(before), kept);
                      handle.attach(IdempotencyKeyDao.class).pruneOrphans(before.toEpochMilli());
                      return pruned;
                    }));
  }

  private static List<ExecutionRecord> records(List<ExecutionDao.Row> rows) {
    return rows.stream().map(ExecutionDao.Row::toRecord).toList();
  }
}
