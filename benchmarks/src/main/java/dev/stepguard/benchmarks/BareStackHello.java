package dev.stepguard.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The least a recorded command-line run costs on stepguard's stack, with none of stepguard: a JVM
 * that opens an H2 file as the command line opens its history (auto-server on), commits a running
 * row, runs {@code python -I hello.py} with the hello input, and commits its output. No Guice,
 * picocli, JDBI, Flyway, logback, configuration, path checks, limits or isolation.
 *
 * <p>Usage: {@code BareStackHello DATABASE PYTHON}, in the directory that holds hello.py.
 */
public final class BareStackHello {
  private BareStackHello() {}

  public static void main(String[] args) throws SQLException, IOException, InterruptedException {
    String url = "jdbc:h2:file:" + args[0] + ";AUTO_SERVER=TRUE";
    try (Connection history = DriverManager.getConnection(url)) {
      try (Statement create = history.createStatement()) {
        create.execute(
            "create table if not exists runs"
                + " (id varchar(36) primary key, status varchar(20), output varchar(1000))");
      }
      String id = UUID.randomUUID().toString();
      try (PreparedStatement running =
          history.prepareStatement("insert into runs values (?, 'RUNNING', null)")) {
        running.setString(1, id);
        running.executeUpdate();
      }
      Process python =
          new ProcessBuilder(args[1], "-I", "hello.py")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      try (OutputStream input = python.getOutputStream()) {
        input.write(Floors.HELLO_INPUT.getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (python.waitFor() != 0) {
        throw new IllegalStateException("python exited with " + python.exitValue());
      }
      try (PreparedStatement ended =
          history.prepareStatement(
              "update runs set status = 'SUCCEEDED', output = ? where id = ?")) {
        ended.setString(1, output);
        ended.setString(2, id);
        ended.executeUpdate();
      }
      System.out.println(output);
    }
  }
}
