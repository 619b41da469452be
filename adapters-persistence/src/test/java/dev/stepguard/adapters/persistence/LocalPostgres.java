package dev.stepguard.adapters.persistence;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL cluster in a temporary directory, listening on 127.0.0.1 only, started
 * with the server binaries of this host (Debian's {@code postgresql} package). As root it runs as
 * the {@code postgres} user, which PostgreSQL insists on.
 */
final class LocalPostgres {
  private final Path bin;
  private final Path home;
  private final int port;
  private int databases;

  private LocalPostgres(Path bin, Path home, int port) {
    this.bin = bin;
    this.home = home;
    this.port = port;
  }

  /** Where the server binaries are, or empty when this host has none. */
  static Optional<Path> binaries() {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (DirectoryStream<Path> versions = Files.newDirectoryStream(debian)) {
        for (Path version : versions) {
          if (Files.isExecutable(version.resolve("bin/pg_ctl"))) {
            return Optional.of(version.resolve("bin"));
          }
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  static LocalPostgres start(Path bin) throws Exception {
    Path home = Files.createTempDirectory("stepguard-pg-");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      UserPrincipal postgres =
          home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(home, postgres);
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    LocalPostgres server = new LocalPostgres(bin, home, port);
    server.run(
        "initdb",
        "-D",
        home.resolve("data").toString(),
        "-U",
        "stepguard",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-sync");
    server.run(
        "pg_ctl",
        "-D",
        home.resolve("data").toString(),
        "-l",
        home.resolve("log").toString(),
        "-w",
        "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + home + " -c fsync=off",
        "start");
    return server;
  }

  /** A new, empty database's JDBC URL. */
  String newDatabase() throws SQLException {
    String name = "history_" + (++databases);
    try (Connection connection = DriverManager.getConnection(url("postgres"))) {
      connection.createStatement().execute("CREATE DATABASE " + name);
    }
    return url(name);
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=stepguard";
  }

  private void run(String tool, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(tool).toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(home.resolve(tool + ".out").toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(
          tool + " failed: " + Files.readString(home.resolve(tool + ".out")));
    }
  }

  /** Stops the server at once and deletes its files. */
  void stop() throws Exception {
    run("pg_ctl", "-D", home.resolve("data").toString(), "-m", "immediate", "-w", "stop");
    try (var files = Files.walk(home)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
    }
  }
}
