package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.IdempotencyKey;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements of the Idempotency-Keys, each one transaction (auto-commit). */
interface IdempotencyKeyDao {
  @SqlUpdate(
      "INSERT INTO idempotency_keys"
          + " (requested_by, route, idem_key, request_sha256, run_id, created_at)"
          + " VALUES (:requestedBy, :route, :idemKey, :requestSha256, :runId, :createdAt)")
  void insert(@BindMethods Row row);

  @SqlQuery(
      "SELECT idem_key, requested_by, route, request_sha256, run_id, created_at"
          + " FROM idempotency_keys"
          + " WHERE requested_by = :requestedBy AND route = :route AND idem_key = :key")
  Optional<Row> find(
      @Bind("requestedBy") String requestedBy,
      @Bind("route") String route,
      @Bind("key") String key);

  @SqlUpdate(
      "DELETE FROM idempotency_keys"
          + " WHERE requested_by = :requestedBy AND route = :route AND idem_key = :idemKey"
          + " AND run_id = :runId")
  int delete(@BindMethods Row row);

  @SqlUpdate("DELETE FROM idempotency_keys WHERE created_at < :before")
  int prune(@Bind("before") long before);

  /**
   * Forgets the keys of single runs that {@code history prune} deleted: a key sent before {@code
   * before} whose run is no longer in the history (a newer key may belong to a run not recorded
   * yet, so it is left alone).
   */
  @SqlUpdate(
      "DELETE FROM idempotency_keys WHERE route = 'executions' AND created_at < :before"
          + " AND NOT EXISTS (SELECT 1 FROM executions e WHERE e.id = idempotency_keys.run_id)")
  int pruneOrphans(@Bind("before") long before);

  /** One row of the {@code idempotency_keys} table (see {@link ExecutionDao.Row}). */
  record Row(
      String idemKey,
      String requestedBy,
      String route,
      String requestSha256,
      String runId,
      long createdAt) {
    static Row of(IdempotencyKey key) {
      return new Row(
          key.key(),
          key.requestedBy(),
          key.route(),
          key.requestSha256(),
          key.runId(),
          key.createdAt().toEpochMilli());
    }

    IdempotencyKey toKey() {
      return new IdempotencyKey(
          idemKey, requestedBy, route, requestSha256, runId, Instant.ofEpochMilli(createdAt));
    }
  }
}
