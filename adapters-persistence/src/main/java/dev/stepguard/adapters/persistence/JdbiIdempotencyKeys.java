package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.IdempotencyKey;
import dev.stepguard.core.port.IdempotencyKeys;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;

/** The Idempotency-Keys, in the history database; the primary key makes a claim atomic. */
final class JdbiIdempotencyKeys implements IdempotencyKeys {
  /** The SQL state of a unique or primary key violation, on H2 and PostgreSQL alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final HistoryDatabase database;

  @Inject
  JdbiIdempotencyKeys(HistoryDatabase database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  @Override
  public Optional<IdempotencyKey> claim(IdempotencyKey key) {
    IdempotencyKeyDao.Row row = IdempotencyKeyDao.Row.of(key);
    return database.call(
        session -> {
          IdempotencyKeyDao dao = session.handle().attach(IdempotencyKeyDao.class);
          try {
            dao.insert(row);
            return Optional.empty();
          } catch (JdbiException e) {
            if (!duplicate(e)) {
              throw e;
            }
            return dao.find(row.requestedBy(), row.route(), row.idemKey())
                .map(IdempotencyKeyDao.Row::toKey);
          }
        });
  }

  @Override
  public void release(IdempotencyKey key) {
    IdempotencyKeyDao.Row row = IdempotencyKeyDao.Row.of(key);
    database.call(session -> session.handle().attach(IdempotencyKeyDao.class).delete(row));
  }

  @Override
  public int prune(Instant before) {
    return database.call(
        session -> session.handle().attach(IdempotencyKeyDao.class).prune(before.toEpochMilli()));
  }

  private static boolean duplicate(JdbiException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }
}
