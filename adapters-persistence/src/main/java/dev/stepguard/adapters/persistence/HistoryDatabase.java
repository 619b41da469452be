package dev.stepguard.adapters.persistence;

import dev.stepguard.core.port.HistoryUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
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
 * AUTO_RECONNECT lets it carry on when the first process exits). Many processes at once take turns
 * at opening the file ({@link OpenLock}), wait at most {@link #PATIENCE} for a busy history, and a
 * host shuts the file down at its turn when it closes (docs/history.md).
 */
final class HistoryDatabase implements AutoCloseable {
  /** The newest migration; when the database has it, Flyway need not be loaded at all. */
  static final String LATEST_VERSION = "9";

  /**
   * WRITE_DELAY=0: every commit is written before the call returns. RETENTION_TIME at its largest:
   * H2 never writes over the space of old chunks while the file is open. With its default (45 s),
   * chunks written into reused space after a kill -9 and a reopen were not found by the next
   * recovery: every record acknowledged after that was lost on the next kill -9, and once the file
   * would not open at all (the HTTP red team, 2026-11-30). The price: the file grows while a
   * process keeps it open, and H2 gives the space back when it is closed cleanly (docs/history.md).
   * COMPRESS: pages are written LZF-compressed (H2 then splits them at 64 KB instead of 4 KB),
   * which makes that growth about 40% smaller (75 to 45 KB per HTTP run after 10,000 runs) and lets
   * the compaction at a clean close finish; it changes neither when nor where a commit is written.
   * MAX_COMPACT_TIME=0: a close compacts only when {@link Compaction} finds it worth it.
   * TRACE_LEVEL_FILE=0: H2 writes no {@code history.trace.db} beside the database. It would append
   * its errors there, values of the failed statement included, through whatever that name is (a
   * link a commit planted made it append a workflow's name to the operator's shell start-up file);
   * stepguard reports those errors itself.
   */
  static final String H2_FILE_OPTIONS =
      ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;WRITE_DELAY=0;RETENTION_TIME=2147483647;COMPRESS=TRUE"
          + ";TRACE_LEVEL_FILE=0"
          + Compaction.OFF_IN_H2;

  static {
    bindToLoopback();
    NoFollowFiles.ensureRegistered();
  }

  /**
   * Has H2's auto-server listen on 127.0.0.1 only, unless told otherwise. H2 reads the property
   * once, when its classes are first loaded: whatever loads them (the warm-up too) calls this
   * first.
   */
  static void bindToLoopback() {
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
  }

  /** The open connection and the statements bound to it. */
  record Session(Handle handle, ExecutionDao dao) {}

  /** How long a run waits for a busy project history before it is not run. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  /** How often a statement is tried when the process hosting the history exits under it. */
  static final int WORK_ATTEMPTS = 3;

  /**
   * After how many statements the project's H2 file is closed and opened again at the next one. A
   * clean close is when H2 compacts the file and forgets its old chunks; without it, a server that
   * keeps the file open grows it by every commit and keeps every chunk's metadata in its heap
   * (docs/history.md). About 3,000 runs of the HTTP server.
   */
  static final int REOPEN_AFTER = 10_000;

  private static final Duration CLOSE_PATIENCE = Duration.ofSeconds(5);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The file in {@code .stepguard} that binds it to its credentials. */
  private static final String MARK = "history.id";

  private final HistorySettings settings;
  private final Duration patience;
  private final int reopenAfter;
  private Session session;
  private boolean gaveUp;
  private int statements;

  HistoryDatabase(HistorySettings settings) {
    this(settings, PATIENCE);
  }

  HistoryDatabase(HistorySettings settings, Duration patience) {
    this(settings, patience, REOPEN_AFTER);
  }

  HistoryDatabase(HistorySettings settings, Duration patience, int reopenAfter) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.patience = Objects.requireNonNull(patience, "patience");
    this.reopenAfter = reopenAfter;
  }

  HistorySettings settings() {
    return settings;
  }

  /**
   * Runs {@code work} on the open connection, opening it first if needed. A connection lost or
   * refused because the process that hosted the project's history exited or is shutting it down is
   * reopened and {@code work} run again; any other failure becomes a {@link
   * HistoryUnavailableException}.
   */
  synchronized <T> T call(Function<Session, T> work) {
    for (int attempt = 1; ; attempt++) {
      Session open = open();
      try {
        T result = work.apply(open);
        reopenWhenDue();
        return result;
      } catch (JdbiException e) {
        // A host that shuts the file down for its turn refuses other sessions ("exclusive mode")
        // while their connections still answer: the work is tried again on a new connection then
        // too, as after a lost one (a refused statement did nothing; an open transaction is rolled
        // back when its connection closes).
        boolean handedOver = settings.isH2File() && Contention.is(e);
        if (handedOver || !usable(open)) {
          close();
        }
        if (!(handedOver && attempt < WORK_ATTEMPTS)) {
          throw new HistoryUnavailableException(
              "the execution history at "
                  + settings.location()
                  + " could not be used: "
                  + reason(e),
              e);
        }
      }
    }
  }

  /**
   * Closes the project's H2 file after {@link #reopenAfter} statements, cleanly and at its turn as
   * {@link #close} does; the next statement opens it again.
   */
  private void reopenWhenDue() {
    if (settings.isH2File() && ++statements >= reopenAfter) {
      statements = 0;
      close();
    }
  }

  /**
   * Opens the history. The project's H2 file is opened while holding the {@link OpenLock}, and an
   * open that finds it busy (another process hosting it, exiting, or crashed a moment ago) is tried
   * again with growing pauses until {@link #patience} has passed. After that it is unavailable, and
   * later calls of this process try once without waiting.
   */
  private Session open() {
    if (session != null) {
      return session;
    }
    Instant deadline = Instant.now().plus(gaveUp ? Duration.ZERO : patience);
    Duration pause = FIRST_PAUSE;
    while (true) {
      try {
        session = connect(deadline);
        gaveUp = false;
        return session;
      } catch (IOException | FlywayException | JdbiException e) {
        boolean busy = settings.isH2File() && (e instanceof OpenLock.Busy || Contention.is(e));
        if (!busy || !Instant.now().plus(pause).isBefore(deadline)) {
          gaveUp |= busy;
          throw new HistoryUnavailableException(
              "the execution history at "
                  + settings.location()
                  + " cannot be opened"
                  + (busy ? " (still busy after " + patience.toSeconds() + " s)" : "")
                  + ": "
                  + reason(e),
              e);
        }
        pause(pause);
        pause =
            pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                ? LONGEST_PAUSE
                : pause.multipliedBy(2);
      }
    }
  }

  /**
   * Connects; to the project's H2 file directly if a live host process has it and its schema is up
   * to date, else after waiting for the turn at the {@link OpenLock} (or for a host to appear while
   * waiting). A schema is migrated only at the turn: by one process at a time, and never while its
   * host shuts it down (which a host does at its turn too), so many processes opening a new history
   * at once wait for the first to create it instead of migrating over each other.
   */
  private Session connect(Instant deadline) throws IOException {
    if (settings.privateDirectory().isPresent()) {
      guardProjectHistory(settings.privateDirectory().get());
    }
    Credentials credentials = credentials();
    if (!settings.isH2File()) {
      return connect(credentials);
    }
    Path lockFile = h2File(".lock.db");
    Path database = h2File(".mv.db");
    // H2 connects to the server a lock file names and sends it the login: a lock file only counts
    // beside its database (one whose directory and credentials were checked above), never alone,
    // as a commit or a leftover could leave it.
    BooleanSupplier hostAdvertised =
        () ->
            Files.exists(database, LinkOption.NOFOLLOW_LINKS) && LiveServer.advertisedIn(lockFile);
    while (true) {
      if (hostAdvertised.getAsBoolean()) {
        Optional<Session> joined = connect(credentials, false);
        if (joined.isPresent()) {
          return joined.get();
        }
        // not up to date: it is being migrated at the turn; wait for the turn, or try again
      }
      Optional<OpenLock> turn = OpenLock.acquire(h2File(".open.lock"), deadline, hostAdvertised);
      if (turn.isPresent()) {
        try {
          // H2 would itself connect to the server a lock file names: at the turn, a lock file
          // that names none of this user's live servers (left by a killed process, or brought by
          // a commit) goes unread.
          if (!Files.exists(database, LinkOption.NOFOLLOW_LINKS)
              || !LiveServer.advertisedIn(lockFile)) {
            Files.deleteIfExists(lockFile);
          }
          return connect(credentials);
        } finally {
          turn.get().close();
        }
      }
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
    if (Files.exists(credentials, LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(database, LinkOption.NOFOLLOW_LINKS)
        && !Files.exists(directory.resolve(MARK), LinkOption.NOFOLLOW_LINKS)) {
      setAside(credentials);
    }
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
   * Sets aside the credentials of a history whose {@code .stepguard} was deleted (no database, no
   * mark: nothing there to open), so that a new history can start in its place: a user who deleted
   * {@code .stepguard} to start afresh is not refused. They are renamed, not deleted, for the old
   * database may only have been moved away; the operator can rename them back with it.
   */
  private static void setAside(Path credentials) throws IOException {
    Path binding = binding(credentials);
    String suffix = ".set-aside-" + Instant.now().toEpochMilli();
    if (Files.exists(binding, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(binding, binding.resolveSibling(binding.getFileName() + suffix));
    }
    Files.move(credentials, credentials.resolveSibling(credentials.getFileName() + suffix));
  }

  private static Path binding(Path credentials) {
    return credentials.resolveSibling(credentials.getFileName() + ".directory");
  }

  /**
   * Binds the credentials to the {@code .stepguard} directory they were made for: a random mark,
   * kept both beside the credentials and in {@code .stepguard/history.id}. A project deleted and
   * checked out again with a committed {@code .stepguard}, or a directory put in its place, lacks
   * the mark, and its database is not opened with this project's credentials (an inode number would
   * not do: a new directory may get the old one's).
   */
  private static void requireSameDirectory(Path directory, Path credentials) throws IOException {
    Path binding = binding(credentials);
    Path mark = directory.resolve(MARK);
    PrivateDirectory.requirePlainFileIfPresent(binding);
    PrivateDirectory.requirePlainFileIfPresent(mark);
    if (!Files.exists(binding, LinkOption.NOFOLLOW_LINKS)) {
      byte[] random = new byte[16];
      RANDOM.nextBytes(random);
      String id = java.util.HexFormat.of().formatHex(random);
      // never through a link: the mark is in the project, where a pull can bring one at any time
      Files.writeString(
          mark,
          id,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE,
          LinkOption.NOFOLLOW_LINKS);
      Files.writeString(binding, id, StandardCharsets.UTF_8);
      return;
    }
    String expected = Files.readString(binding, StandardCharsets.UTF_8);
    boolean same =
        Files.exists(mark, LinkOption.NOFOLLOW_LINKS)
            && Files.readString(mark, StandardCharsets.UTF_8).equals(expected);
    if (!same) {
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

  private Session connect(Credentials credentials) {
    return connect(credentials, true).orElseThrow();
  }

  /**
   * A session on the database, its schema migrated first if {@code mayMigrate}; empty if the schema
   * is not up to date and may not be migrated here.
   */
  private Optional<Session> connect(Credentials credentials, boolean mayMigrate) {
    String url = url();
    Jdbi jdbi =
        configured(
            credentials.equals(Credentials.NONE)
                ? Jdbi.create(url)
                : Jdbi.create(url, credentials.user(), credentials.password()));
    Handle handle = jdbi.open();
    try {
      if (!upToDate(handle)) {
        if (!mayMigrate) {
          handle.close();
          return Optional.empty();
        }
        migrate(url, credentials);
      }
    } catch (RuntimeException e) {
      handle.close();
      throw e;
    }
    return Optional.of(new Session(handle, handle.attach(ExecutionDao.class)));
  }

  /** {@code jdbi} with the statements and row mappers of the history. */
  static Jdbi configured(Jdbi jdbi) {
    return jdbi.installPlugin(new SqlObjectPlugin())
        .registerRowMapper(ConstructorMapper.factory(ExecutionDao.Row.class))
        .registerRowMapper(ConstructorMapper.factory(WorkflowRunDao.Row.class))
        .registerRowMapper(ConstructorMapper.factory(TokenDao.Row.class))
        .registerRowMapper(ConstructorMapper.factory(IdempotencyKeyDao.Row.class))
        .registerRowMapper(ConstructorMapper.factory(SummaryRow.class));
  }

  /** A file beside the project's H2 database: {@code history} plus {@code suffix}. */
  Path h2File(String suffix) {
    String file = settings.location().substring("jdbc:h2:file:".length());
    if (file.startsWith("~")) {
      file = System.getProperty("user.home") + file.substring(1);
    }
    return Path.of(file + suffix);
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause.toMillis() / 2 + RANDOM.nextInt((int) pause.toMillis() / 2 + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The URL connected to: an H2 file named by an absolute path is opened through {@link
   * NoFollowFiles}, so that no file of it is ever written through a link put at its name.
   */
  private String url() {
    if (!settings.isH2File()) {
      return settings.url();
    }
    String file = settings.url().substring("jdbc:h2:file:".length());
    String name = file.startsWith("/") ? NoFollowFiles.name(file) : "file:" + file;
    return "jdbc:h2:" + name + H2_FILE_OPTIONS;
  }

  private Credentials credentials() throws IOException {
    if (settings.credentialsFile().isEmpty()) {
      return Credentials.NONE;
    }
    return Credentials.load(settings.credentialsFile().get(), settings.createCredentials());
  }

  /**
   * Whether the schema already has the newest migration, asked without starting Flyway. A new
   * database is recognised by its missing table first: querying it would make H2 log the failure in
   * the project's {@code history.trace.db}.
   */
  static boolean upToDate(Handle handle) {
    try {
      if (!hasTable(handle.getConnection(), "flyway_schema_history")) {
        return false;
      }
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

  private static boolean hasTable(Connection connection, String name) {
    try (ResultSet tables = connection.getMetaData().getTables(null, null, name, null)) {
      return tables.next();
    } catch (SQLException unknown) {
      return true;
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

  /**
   * Closes the connection. A process that hosts the project's H2 file shuts it down, at its turn at
   * the {@link OpenLock}: the processes connected to it then reopen the file after the lock file is
   * gone, not while it is half closed.
   */
  @Override
  public synchronized void close() {
    if (session == null) {
      return;
    }
    if (!settings.isH2File()) {
      closeHandle();
      return;
    }
    OpenLock turn;
    try {
      turn = OpenLock.acquire(h2File(".open.lock"), Instant.now().plus(CLOSE_PATIENCE));
    } catch (IOException lockUnavailable) {
      closeHandle();
      return;
    }
    try {
      shutDownIfHost();
    } finally {
      closeHandle();
      try {
        turn.close();
      } catch (IOException releasedWithTheProcess) {
        // the kernel releases it when this process ends
      }
    }
  }

  private void shutDownIfHost() {
    try {
      Connection connection = session.handle().getConnection();
      // the host has the file itself (a local session); the others reach it over TCP
      if (connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local) {
        Compaction.ifDue(local);
        // plain JDBC: Jdbi would ask for the update count of a database SHUTDOWN just closed, and
        // H2 would log that failure in the project's history.trace.db at every close
        try (Statement statement = connection.createStatement()) {
          statement.execute("SHUTDOWN");
        }
      }
    } catch (JdbiException | SQLException alreadyBroken) {
      // nothing left to shut down
    }
  }

  private void closeHandle() {
    if (session != null) {
      try {
        session.handle().close();
      } catch (JdbiException alreadyBroken) {
        // the connection is gone either way
      } finally {
        session = null;
      }
    }
  }
}
