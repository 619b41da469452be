package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.port.HistoryUnavailableException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The red-team findings F2, F3 and F4 against the project's own history. */
class HistoryHardeningTest {
  @TempDir Path dir;

  private Path state() {
    return dir.resolve("state");
  }

  private HistoryDatabase open(Path project) {
    return new HistoryDatabase(HistorySettings.forProject(project, state()));
  }

  private static void use(HistoryDatabase database) {
    try (database) {
      new JdbiExecutionStore(database).running();
    }
  }

  @Test
  void refusesAProjectPathThatWouldInjectUrlSettings() throws Exception {
    Path project = Files.createDirectory(dir.resolve("p;INIT=RUNSCRIPT FROM 'i.sql'--"));
    Path marker = dir.resolve("marker");
    Files.writeString(
        project.resolve("i.sql"),
        "CREATE ALIAS MARK AS $$void mark() throws Exception {"
            + " java.nio.file.Files.writeString(java.nio.file.Path.of(\""
            + marker
            + "\"), \"ran\"); }$$; CALL MARK();");

    assertThatThrownBy(() -> HistorySettings.forProject(project, state()))
        .isInstanceOf(HistoryUnavailableException.class)
        .hasMessageContaining("U+003B")
        .hasMessageContaining("rename the project directory")
        .hasMessageContaining("history.url");
    assertThat(marker).doesNotExist();
    assertThat(project.resolve(HistorySettings.PRIVATE_DIRECTORY)).doesNotExist();
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(project);
    }
  }

  @Test
  void refusesABackslashAndControlCharacters() throws Exception {
    for (String name : List.of("a\\..\\..\\b", "line\nbreak", "bell\u0007", "del\u007f")) {
      Path project = Files.createDirectory(dir.resolve(name));
      assertThatThrownBy(() -> HistorySettings.forProject(project, state()))
          .as(name)
          .isInstanceOf(HistoryUnavailableException.class)
          .hasMessageContaining("H2 cannot take");
    }
    assertThatThrownBy(() -> HistorySettings.requireLiteralH2FileName("~/x"))
        .hasMessageContaining("not an absolute path");
  }

  @Test
  void takesTildesAndColonsInThePathLiterally() throws Exception {
    for (String name : List.of("~", "mem:x", "tcp:~", "zip:y")) {
      Path project = Files.createDirectory(dir.resolve(name));
      use(open(project));
      assertThat(project.resolve(".stepguard/history.mv.db")).as(name).isRegularFile();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("~", "mem:x", "tcp:~", "zip:y", "state");
    }
  }

  @Test
  void createsAPrivateDirectoryAndKeepsTheCredentialsOutsideTheProject() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    HistorySettings settings = HistorySettings.forProject(project, state());
    use(new HistoryDatabase(settings));

    Path directory = project.resolve(".stepguard");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");
    assertThat(directory.resolve("history.credentials")).doesNotExist();
    Path credentials = settings.credentialsFile().orElseThrow();
    assertThat(credentials).startsWith(state()).isRegularFile();
    assertThat(HistorySettings.forProject(project.resolve("../project"), state()).credentialsFile())
        .contains(credentials);
    // (AssertJ's endsWith on a path resolves it, which fails before the directory exists)
    assertThat(HistorySettings.defaultStateDirectory().getFileName())
        .isEqualTo(Path.of("stepguard"));
  }

  @Test
  void refusesAPrivateDirectoryThatIsALink() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    Path out = Files.createDirectory(project.resolve("out"));
    Files.createSymbolicLink(project.resolve(".stepguard"), Path.of("out"));

    assertThatThrownBy(() -> use(open(project)))
        .isInstanceOf(HistoryUnavailableException.class)
        .hasMessageContaining("symbolic link")
        .hasMessageContaining("remove the link");
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void refusesAPrivateDirectoryOthersCanWriteOrThatIsAFile() throws Exception {
    for (String mode : List.of("rwxrwx---", "rwx---rwx")) {
      Path project = Files.createDirectory(dir.resolve("project-" + mode));
      Path directory = Files.createDirectory(project.resolve(".stepguard"));
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));

      assertThatThrownBy(() -> use(open(project)))
          .isInstanceOf(HistoryUnavailableException.class)
          .hasMessageContaining("writable by group or others")
          .hasMessageContaining("chmod 700");
      try (Stream<Path> files = Files.list(directory)) {
        assertThat(files).isEmpty();
      }
    }
    Path project = Files.createDirectory(dir.resolve("file"));
    Files.writeString(project.resolve(".stepguard"), "");
    assertThatThrownBy(() -> use(open(project))).hasMessageContaining("is not a directory");
  }

  @Test
  void refusesAPrivateDirectoryOfAnotherUser() throws Exception {
    assumeTrue(
        PrivateDirectory.effectiveUid().equals(Optional.of(0)),
        "giving a directory to another user needs root");
    Path project = Files.createDirectory(dir.resolve("project"));
    Path directory = Files.createDirectory(project.resolve(".stepguard"));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    Files.setAttribute(directory, "unix:uid", 65534);

    assertThatThrownBy(() -> use(open(project)))
        .isInstanceOf(HistoryUnavailableException.class)
        .hasMessageContaining("belongs to user id 65534");
  }

  @Test
  void refusesADatabaseFileThatIsALink() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    Path directory = Files.createDirectory(project.resolve(".stepguard"));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    Path elsewhere = Files.writeString(dir.resolve("elsewhere.mv.db"), "");
    Files.createSymbolicLink(directory.resolve("history.mv.db"), elsewhere);

    assertThatThrownBy(() -> use(open(project)))
        .isInstanceOf(HistoryUnavailableException.class)
        .hasMessageContaining("history.mv.db is a symbolic link");
    assertThat(elsewhere).isEmptyFile();
  }

  // The attacker review of 2026-12-01: a committed .stepguard/history.trace.db linked to the
  // operator's shell start-up file, and a workflow name too long for its column, had H2 append
  // "$(command)" there with the failed statement's values.
  @ParameterizedTest
  @ValueSource(
      strings = {"history.trace.db", "history.mv.db.tempFile", "history.newFile", "anything"})
  void refusesAPrivateDirectoryWithALinkInItUnderAnyName(String name) throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    Path directory = Files.createDirectory(project.resolve(".stepguard"));
    Path victim = Files.writeString(dir.resolve("bashrc"), "# the operator's\n");
    Path link = Files.createSymbolicLink(directory.resolve(name), victim);

    assertThatThrownBy(() -> use(open(project)))
        .isInstanceOf(HistoryUnavailableException.class)
        .hasMessageContaining(link + " is a symbolic link")
        .hasMessageContaining("rm " + link);
    assertThat(victim).hasContent("# the operator's\n");
    assertThat(directory.resolve("history.mv.db")).doesNotExist();
  }

  // The second attacker review of 2026-12-01: a git pull while a server ran replaced the ignored
  // .stepguard/history.lock.db with a committed link, and H2's lock watchdog, which writes the
  // lock file again whenever it changed, truncated and overwrote the file the link named.
  @Test
  void neverWritesThroughALinkPutAtTheLockFilesNameWhileTheHistoryIsOpen() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    Path victim = Files.writeString(dir.resolve("bashrc"), "# the operator's\n");
    try (HistoryDatabase database = open(project)) {
      JdbiExecutionStore store = new JdbiExecutionStore(database);
      store.running();
      Path lock = project.resolve(".stepguard/history.lock.db");
      assertThat(lock).as("H2's lock file while the history is open").exists();
      Path planted = project.resolve(".stepguard/planted");
      Files.createSymbolicLink(planted, victim);
      Files.move(planted, lock, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      Thread.sleep(3_000); // H2's watchdog looks at its lock file every second

      assertThat(victim).hasContent("# the operator's\n");
      assertThat(store.running()).isEmpty();
    }
    assertThat(victim).hasContent("# the operator's\n");
  }

  @Test
  void writesNoTraceFileWhenAStatementFails() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    try (HistoryDatabase database = open(project)) {
      assertThatThrownBy(
              () ->
                  database.call(
                      session ->
                          session
                              .handle()
                              .createUpdate("INSERT INTO NO_SUCH_TABLE VALUES ('$(id)')")
                              .execute()))
          .isNotNull();
    }

    assertThat(project.resolve(".stepguard/history.trace.db")).doesNotExist();
  }

  /** A database with a trigger whose Java source writes {@code marker} when it is loaded. */
  private static void plant(Path directory, Path marker) throws Exception {
    String url = "jdbc:h2:file:" + directory.resolve("history");
    try (Connection planted = DriverManager.getConnection(url, "stepguard", "known");
        Statement statement = planted.createStatement()) {
      statement.execute("CREATE TABLE T(X INT)");
      statement.execute(
          "CREATE TRIGGER PLANTED AFTER INSERT ON T AS $$org.h2.api.Trigger create()"
              + " throws Exception { java.nio.file.Files.writeString(java.nio.file.Path.of(\""
              + marker
              + "\"), \"ran\"); return (c, o, n) -> { }; }$$");
    }
    assertThat(marker).as("the planted trigger runs when its database opens").exists();
    Files.delete(marker);
  }

  @Test
  void neverOpensADatabaseInAReplacedPrivateDirectory() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    use(open(project));
    Path directory = project.resolve(".stepguard");
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(directory);
    Files.createDirectory(directory);
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    Path marker = dir.resolve("marker");
    plant(directory, marker);

    assertThatThrownBy(() -> use(open(project)))
        .isInstanceOf(HistoryUnavailableException.class)
        .hasMessageContaining("not the directory stepguard created this history in");
    assertThat(marker).doesNotExist();
  }

  @Test
  void startsANewHistoryWhenTheUserDeletedTheOldOneAndKeepsItsCredentialsAside() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    use(open(project));
    Path directory = project.resolve(".stepguard");
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(directory);

    use(open(project));

    assertThat(directory.resolve("history.mv.db")).exists();
    try (Stream<Path> kept = Files.list(state().resolve("history-credentials"))) {
      assertThat(kept.map(file -> file.getFileName().toString()))
          .filteredOn(name -> name.contains(".set-aside-"))
          .hasSize(2);
    }
  }

  @Test
  void neverSendsTheLoginToAServerThatALockFileWithoutItsDatabaseNames() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    Path directory = Files.createDirectory(project.resolve(".stepguard"));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Files.writeString(
          directory.resolve("history.lock.db"),
          "#FileLock\nid=planted\nmethod=file\nserver=127.0.0.1\\:"
              + listener.getLocalPort()
              + "\n");
      listener.setSoTimeout(1);

      use(open(project));

      assertThat(directory.resolve("history.mv.db")).exists();
      assertThatThrownBy(listener::accept).isInstanceOf(SocketTimeoutException.class);
    }
  }

  // The second attacker review of 2026-12-01: another local user ran an H2 server and a commit
  // brought a lock file naming it beside an existing history; the operator's stepguard sent it its
  // login, created its schema there and recorded its runs (and its API tokens) there.
  @Test
  void neverSendsTheLoginToAnotherUsersServerThatALockFileBesideItsDatabaseNames()
      throws Exception {
    assumeTrue(
        PrivateDirectory.effectiveUid().orElse(-1) == 0,
        "needs root, to listen as another user (nobody)");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs Debian's python3");
    Path project = Files.createDirectory(dir.resolve("project"));
    use(open(project));
    Path directory = project.resolve(".stepguard");
    Path accepted = dir.resolve("accepted");
    Process listener =
        new ProcessBuilder(
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "/usr/bin/python3",
                "-I",
                "-c",
                "import socket, sys\n"
                    + "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(8)\n"
                    + "print(s.getsockname()[1], flush=True)\n"
                    + "c, _ = s.accept(); sys.stderr.write('accepted')\n")
            .redirectError(accepted.toFile())
            .start();
    try {
      int port =
          Integer.parseInt(
              new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          listener.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                  .readLine()
                  .trim());
      assertThat(LiveServer.listenedToByMe(InetAddress.getLoopbackAddress(), port)).isFalse();
      Files.writeString(
          directory.resolve("history.lock.db"),
          "#FileLock\nid=planted\nmethod=file\nserver=127.0.0.1\\:" + port + "\n");

      use(open(project));

      assertThat(accepted).isEmptyFile();
    } finally {
      listener.destroyForcibly().waitFor();
    }
  }

  @Test
  void believesAServerOfItsOwnThatListensOnTheLockFilesAddress() throws Exception {
    try (ServerSocket mine = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      assertThat(LiveServer.listenedToByMe(InetAddress.getByName("127.0.0.1"), mine.getLocalPort()))
          .isTrue();
      assertThat(LiveServer.listenedToByMe(InetAddress.getByName("127.0.0.2"), mine.getLocalPort()))
          .isFalse();
    }
  }

  @Test
  void makesAPrivateDirectoryThatOthersCouldReadOwnerOnly() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    Path directory = Files.createDirectory(project.resolve(".stepguard"));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));

    use(open(project));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");
  }

  @Test
  void neverOpensAPlantedDatabaseWithPlantedCredentials() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    Path directory = Files.createDirectory(project.resolve(".stepguard"));
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    Path marker = dir.resolve("marker");
    plant(directory, marker);
    Path credentials =
        Files.writeString(
            directory.resolve("history.credentials"), "user=stepguard\npassword=known\n");
    Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> use(open(project)))
        .isInstanceOf(HistoryUnavailableException.class)
        .hasMessageContaining("credentials were found inside the project")
        .hasMessageContaining("mv ");
    assertThat(marker).doesNotExist();

    Files.delete(credentials);
    assertThatThrownBy(() -> use(open(project)))
        .isInstanceOf(HistoryUnavailableException.class)
        .hasMessageContaining("was not created by stepguard");
    assertThat(marker).doesNotExist();
  }

  @Test
  void opensAHistoryWhoseLegacyCredentialsTheOperatorMovedOut() throws Exception {
    Path project = Files.createDirectory(dir.resolve("project"));
    HistorySettings settings = HistorySettings.forProject(project, state());
    use(new HistoryDatabase(settings));
    Path credentials = settings.credentialsFile().orElseThrow();
    Path legacy = project.resolve(".stepguard/history.credentials");
    Files.move(credentials, legacy);

    assertThatThrownBy(() -> use(new HistoryDatabase(settings)))
        .hasMessageContaining("mv " + legacy + " " + credentials);
    Files.move(legacy, credentials);
    use(new HistoryDatabase(settings));
  }
}
