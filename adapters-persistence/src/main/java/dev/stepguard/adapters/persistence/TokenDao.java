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
  String SELECT = "SELECT label, scope, sha256, created_at FROM api_tokens";

  @SqlUpdate(
      "INSERT INTO api_tokens (label, scope, sha256, created_at)"
          + " VALUES (:label, :scope, :sha256, :createdAt)")
  void insert(@BindMethods Row row);

  @SqlQuery(SELECT + " WHERE sha256 = :sha256")
  Optional<Row> findBySha256(@Bind("sha256") String sha256);

  @SqlQuery(SELECT + " WHERE label = :label")
  Optional<Row> findByLabel(@Bind("label") String label);

  @SqlQuery(SELECT + " ORDER BY label")
  List<Row> list();

  @SqlUpdate("DELETE FROM api_tokens WHERE label = :label")
  int delete(@Bind("label") String label);

  /** One row of the {@code api_tokens} table, and its token (see {@link ExecutionDao.Row}). */
  record Row(String label, String scope, String sha256, long createdAt) {
    static Row of(ApiToken token) {
      return new Row(
          token.label(),
          token.scope().label(),
          token.sha256Hex(),
          token.createdAt().toEpochMilli());
    }

    ApiToken toToken() {
      return new ApiToken(label, TokenScope.parse(scope), sha256, Instant.ofEpochMilli(createdAt));
    }
  }
}
