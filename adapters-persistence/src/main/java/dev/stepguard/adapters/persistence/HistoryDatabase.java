package dev.stepguard.adapters.persistence;

import dev.stepguard.core.port.HistoryUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The history database, opened on first use: credentials loaded (or created), the schema migrated
 * by Flyway, connections pooled. For the project's H2 file it adds the options that make stepguard
 * safe to run twice at once and durable on kill: H2's auto-server (a second process connects
 * through a port bound to 127.0.0.1 that asks for the credentials) and WRITE_DELAY=0 (a commit is
 * written to the file before it returns).
 */
final class HistoryDatabase implements AutoCloseable {
  /** The newest migration; when the database has it, Flyway need not be loaded at all. */
  static final String LATEST_VERSION = "1";

  static final String H2_FILE_OPTIONS = ";AUTO_SERVER=TRUE;WRITE_DELAY=0";

  static {
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
  }

  private final HistorySettings settings;
  private Jdbi jdbi;
  private JdbcConnectionPool pool;

  HistoryDatabase(HistorySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  HistorySettings settings() {
    return settings;
  }

  synchronized Jdbi jdbi() {
    if (jdbi == null) {
      jdbi = open();
    }
    return jdbi;
  }

  private Jdbi open() {
    try {
      Credentials credentials = credentials();
      DataSource source = dataSource(credentials);
      if (!upToDate(source)) {
        migrate(source);
      }
      return Jdbi.create(source)
          .installPlugin(new SqlObjectPlugin())
          .registerRowMapper(ConstructorMapper.factory(ExecutionRow.class));
    } catch (IOException | SQLException | FlywayException | JdbiException e) {
      close();
      throw new HistoryUnavailableException(
          "the execution history at " + settings.location() + " cannot be opened: " + reason(e), e);
    }
  }

  private Credentials credentials() throws IOException {
    if (settings.credentialsFile().isEmpty()) {
      return Credentials.NONE;
    }
    Path file = settings.credentialsFile().get();
    return Credentials.load(file, settings.createCredentials());
  }

  private DataSource dataSource(Credentials credentials) throws SQLException {
    if (settings.url().startsWith("jdbc:h2:")) {
      String url = settings.isH2File() ? settings.url() + H2_FILE_OPTIONS : settings.url();
      pool = JdbcConnectionPool.create(url, credentials.user(), credentials.password());
      pool.getConnection().close();
      return pool;
    }
    return new DriverManagerSource(settings.url(), credentials);
  }

  /** Whether the schema already has the newest migration, asked without starting Flyway. */
  private static boolean upToDate(DataSource source) {
    try (Connection connection = source.getConnection();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT COUNT(*) FROM \"flyway_schema_history\""
                    + " WHERE \"version\" = ? AND \"success\" = TRUE")) {
      query.setString(1, LATEST_VERSION);
      try (ResultSet result = query.executeQuery()) {
        return result.next() && result.getInt(1) == 1;
      }
    } catch (SQLException noHistoryTableYet) {
      return false;
    }
  }

  private void migrate(DataSource source) {
    Flyway.configure()
        .dataSource(source)
        .locations("classpath:db/migration")
        .placeholders(Map.of("text", largeTextType()))
        .load()
        .migrate();
  }

  private String largeTextType() {
    return settings.url().startsWith("jdbc:h2:") ? "CHARACTER LARGE OBJECT" : "TEXT";
  }

  private static String reason(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    if (message.contains("Wrong user name or password")) {
      return message
          + " (the credentials file does not match the database: restore it, or move the"
          + " database files aside to start a new history)";
    }
    return message;
  }

  @Override
  public synchronized void close() {
    if (pool != null) {
      pool.dispose();
      pool = null;
    }
    jdbi = null;
  }
}
