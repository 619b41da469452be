package dev.stepguard.adapters.persistence;

import dev.stepguard.core.port.HistoryUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The history database, opened on first use: credentials loaded (or created), the schema migrated
 * by Flyway, one connection kept open and used by one caller at a time (a history write is a single
 * short statement; opening a connection per statement cost more than the statement).
 *
 * <p>For the project's H2 file it adds the options that make stepguard durable on kill and safe to
 * run twice at once: WRITE_DELAY=0 (a commit is in the file before it returns) and H2's auto-server
 * (a second process connects through a port bound to 127.0.0.1 that asks for the credentials;
 * AUTO_RECONNECT lets it carry on when the first process exits).
 */
final class HistoryDatabase implements AutoCloseable {
  /** The newest migration; when the database has it, Flyway need not be loaded at all. */
  static final String LATEST_VERSION = "3";

  static final String H2_FILE_OPTIONS = ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0";

  static {
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
  }

  /** The open connection and the statements bound to it. */
  record Session(Handle handle, ExecutionDao dao) {}

  private final HistorySettings settings;
  private Session session;

  HistoryDatabase(HistorySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  HistorySettings settings() {
    return settings;
  }

  /**
   * Runs {@code work} on the open connection, opening it first if needed. A failure becomes a
   * {@link HistoryUnavailableException}; a connection found broken is reopened on the next call.
   */
  synchronized <T> T call(Function<Session, T> work) {
    Session open = open();
    try {
      return work.apply(open);
    } catch (JdbiException e) {
      if (!usable(open)) {
        close();
      }
      throw new HistoryUnavailableException(
          "the execution history at " + settings.location() + " could not be used: " + reason(e),
          e);
    }
  }

  private Session open() {
    if (session != null) {
      return session;
    }
    try {
      if (settings.privateDirectory().isPresent()) {
        guardProjectHistory(settings.privateDirectory().get());
      }
      Credentials credentials = credentials();
      String url = url();
      Jdbi jdbi =
          (credentials.equals(Credentials.NONE)
                  ? Jdbi.create(url)
                  : Jdbi.create(url, credentials.user(), credentials.password()))
              .installPlugin(new SqlObjectPlugin())
              .registerRowMapper(ConstructorMapper.factory(ExecutionRow.class))
              .registerRowMapper(ConstructorMapper.factory(WorkflowRunRow.class));
      Handle handle = jdbi.open();
      try {
        if (!upToDate(handle)) {
          migrate(url, credentials);
        }
      } catch (RuntimeException e) {
        handle.close();
        throw e;
      }
      session = new Session(handle, handle.attach(ExecutionDao.class));
      return session;
    } catch (IOException | FlywayException | JdbiException e) {
      throw new HistoryUnavailableException(
          "the execution history at " + settings.location() + " cannot be opened: " + reason(e), e);
    }
  }

  /**
   * Checks the project's {@code .stepguard} before H2 sees it: a real directory of this user, not
   * writable by others, with plain files of this user. A database that stepguard has no credentials
   * for in the operator's state directory was not created by this user here: it is refused unopened
   * (opening it would already run the Java source of its triggers), and so is a credentials file
   * that older versions kept in the project, which anyone who can commit can plant.
   */
  private void guardProjectHistory(Path directory) throws IOException {
    PrivateDirectory.secure(directory);
    Path database = directory.resolve("history.mv.db");
    Path legacy = directory.resolve(HistorySettings.LEGACY_CREDENTIALS);
    for (Path file : new Path[] {database, legacy, directory.resolve("history.lock.db")}) {
      PrivateDirectory.requirePlainFileIfPresent(file);
    }
    Path credentials = settings.credentialsFile().orElseThrow();
    if (Files.exists(credentials, LinkOption.NOFOLLOW_LINKS)) {
      requireSameDirectory(directory, credentials);
      return;
    }
    if (Files.exists(legacy, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "credentials were found inside the project ("
              + legacy
              + "); stepguard no longer takes credentials from the project, where a commit can"
              + " plant them. If you created this history, move the file: mkdir -p -m 700 "
              + credentials.getParent()
              + " && mv "
              + legacy
              + " "
              + credentials
              + "; otherwise delete "
              + directory);
    }
    if (Files.exists(database, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(
          "the database "
              + database
              + " was not created by stepguard for this user (no credentials for it at "
              + credentials
              + "); it is not opened: move it aside to start a new history");
    }
    Files.createDirectories(
        Objects.requireNonNull(credentials.toAbsolutePath().getParent(), "the state directory"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    requireSameDirectory(directory, credentials);
  }

  /**
   * Binds the credentials to the {@code .stepguard} directory they were made for (its device and
   * inode): a project deleted and checked out again with a committed {@code .stepguard} has a new
   * directory, and its database is not opened with the old project's credentials.
   */
  private static void requireSameDirectory(Path directory, Path credentials) throws IOException {
    String identity =
        String.valueOf(
            Files.readAttributes(directory, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey());
    Path binding = credentials.resolveSibling(credentials.getFileName() + ".directory");
    if (!Files.exists(binding, LinkOption.NOFOLLOW_LINKS)) {
      Files.writeString(binding, identity, StandardCharsets.UTF_8);
      return;
    }
    PrivateDirectory.requirePlainFileIfPresent(binding);
    if (!Files.readString(binding, StandardCharsets.UTF_8).equals(identity)) {
      throw new IOException(
          directory
              + " is not the directory stepguard created this history in (it was replaced, or the"
              + " project was copied); its database is not opened. If it is yours, delete "
              + binding
              + "; otherwise move "
              + directory
              + " aside");
    }
  }

  private String url() {
    return settings.isH2File() ? settings.url() + H2_FILE_OPTIONS : settings.url();
  }

  private Credentials credentials() throws IOException {
    if (settings.credentialsFile().isEmpty()) {
      return Credentials.NONE;
    }
    return Credentials.load(settings.credentialsFile().get(), settings.createCredentials());
  }

  /** Whether the schema already has the newest migration, asked without starting Flyway. */
  private static boolean upToDate(Handle handle) {
    try {
      return handle
              .createQuery(
                  "SELECT COUNT(*) FROM \"flyway_schema_history\""
                      + " WHERE \"version\" = :version AND \"success\" = TRUE")
              .bind("version", LATEST_VERSION)
              .mapTo(Integer.class)
              .one()
          == 1;
    } catch (JdbiException noHistoryTableYet) {
      return false;
    }
  }

  private void migrate(String url, Credentials credentials) {
    boolean none = credentials.equals(Credentials.NONE);
    Flyway.configure()
        .dataSource(url, none ? null : credentials.user(), none ? null : credentials.password())
        .locations("classpath:db/migration")
        .placeholders(Map.of("text", largeTextType()))
        .load()
        .migrate();
  }

  private String largeTextType() {
    return settings.url().startsWith("jdbc:h2:") ? "CHARACTER LARGE OBJECT" : "TEXT";
  }

  private static boolean usable(Session session) {
    try {
      return session.handle().getConnection().isValid(1);
    } catch (SQLException e) {
      return false;
    }
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
    if (session != null) {
      session.handle().close();
      session = null;
    }
  }
}
