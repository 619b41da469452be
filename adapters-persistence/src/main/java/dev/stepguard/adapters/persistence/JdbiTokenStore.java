package dev.stepguard.adapters.persistence;

import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.TokenLabels;
import dev.stepguard.core.port.TokenStore;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;

/** The API tokens, in the history database: label, scope and SHA-256, never the token. */
final class JdbiTokenStore implements TokenStore {
  /** The SQL state of a unique or primary key violation, on H2 and PostgreSQL alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final HistoryDatabase database;

  @Inject
  JdbiTokenStore(HistoryDatabase database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  @Override
  public void add(ApiToken token) {
    TokenDao.Row row = TokenDao.Row.of(token);
    Optional<String> refused =
        database.call(
            session -> {
              TokenDao dao = session.handle().attach(TokenDao.class);
              try {
                dao.insert(row);
                return Optional.<String>empty();
              } catch (JdbiException e) {
                if (!duplicate(e)) {
                  throw e;
                }
                return Optional.of(
                    dao.findByLabel(row.label())
                        .map(held -> TokenLabels.taken(held.toToken()))
                        .orElse("this token is already stored under another label"));
              }
            });
    if (refused.isPresent()) {
      throw new IllegalArgumentException(refused.get());
    }
  }

  @Override
  public Optional<ApiToken> findBySha256(String sha256Hex) {
    return database
        .call(session -> session.handle().attach(TokenDao.class).findBySha256(sha256Hex))
        .map(TokenDao.Row::toToken);
  }

  @Override
  public List<ApiToken> list() {
    // sorted here too: the database's collation of labels need not be Java's
    return database.call(session -> session.handle().attach(TokenDao.class).list()).stream()
        .map(TokenDao.Row::toToken)
        .sorted(Comparator.comparing(ApiToken::label))
        .toList();
  }

  @Override
  public boolean revoke(String label, Instant at) {
    return database.call(
            session -> session.handle().attach(TokenDao.class).revoke(label, at.toEpochMilli()))
        == 1;
  }

  @Override
  public void withdraw(ApiToken token) {
    database.call(
        session ->
            session.handle().attach(TokenDao.class).withdraw(token.label(), token.sha256Hex()));
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
