package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.TokenScope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The statements of the API tokens, each one transaction (auto-commit). */
interface TokenDao {
  String SELECT = "SELECT label, scope, sha256, created_at, revoked_at FROM api_tokens";

  @SqlUpdate(
      "INSERT INTO api_tokens (label, scope, sha256, created_at, revoked_at)"
          + " VALUES (:label, :scope, :sha256, :createdAt, :revokedAt)")
  void insert(@BindMethods Row row);

  @SqlQuery(SELECT + " WHERE sha256 = :sha256 AND revoked_at IS NULL")
  Optional<Row> findBySha256(@Bind("sha256") String sha256);

  @SqlQuery(SELECT + " WHERE label = :label")
  Optional<Row> findByLabel(@Bind("label") String label);

  @SqlQuery(SELECT + " ORDER BY label")
  List<Row> list();

  @SqlUpdate("DELETE FROM api_tokens WHERE label = :label AND sha256 = :sha256")
  int withdraw(@Bind("label") String label, @Bind("sha256") String sha256);

  @SqlUpdate("UPDATE api_tokens SET revoked_at = :at WHERE label = :label AND revoked_at IS NULL")
  int revoke(@Bind("label") String label, @Bind("at") long at);

  /** One row of the {@code api_tokens} table, and its token (see {@link ExecutionDao.Row}). */
  record Row(String label, String scope, String sha256, long createdAt, Long revokedAt) {
    static Row of(ApiToken token) {
      return new Row(
          token.label(),
          token.scope().label(),
          token.sha256Hex(),
          token.createdAt().toEpochMilli(),
          token.revoked() ? token.revokedAt().toEpochMilli() : null);
    }

    ApiToken toToken() {
      return new ApiToken(
          label,
          TokenScope.parse(scope),
          sha256,
          Instant.ofEpochMilli(createdAt),
          revokedAt == null ? null : Instant.ofEpochMilli(revokedAt));
    }
  }
}
