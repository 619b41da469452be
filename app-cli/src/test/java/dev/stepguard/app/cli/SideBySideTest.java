package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two stepguard processes on one project: while one has the history open (a run in progress in
 * another JVM), this one lists, shows and records runs in the same history. The port H2 opens for
 * that listens on the loopback interface only and answers no one without the credentials.
 */
class SideBySideTest {
  @TempDir Path project;
  private Process other;

  @AfterEach
  void stopOther() {
    if (other != null) {
      other.destroyForcibly();
    }
  }

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--project");
    all.add(project.toString());
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void runsAndListsWhileAnotherStepguardHasTheHistoryOpen() throws Exception {
    Files.writeString(
        project.resolve("slow.py"),
        "import json, time\nopen('started', 'w').close()\ntime.sleep(4)\n"
            + "print(json.dumps({'slept': 4}))\n");
    Files.writeString(project.resolve("hello.py"), "print('{\"hello\": 1}')\n");
    other =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "slow.py",
                "--isolation",
                "process",
                "--project",
                project.toString())
            .redirectErrorStream(true)
            .redirectOutput(project.resolve("other.txt").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.exists(project.resolve("started"))) {
      assertThat(other.isAlive()).as("the other stepguard ended early").isTrue();
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(20);
    }

    JsonNode running = Json.reader().readTree(cli("history", "list", "--json").out());
    Cli.Result hello = cli("run", "hello.py", "--isolation", "process");

    assertThat(running.get("items")).hasSize(1);
    assertThat(running.get("items").get(0).get("status").asText()).isEqualTo("RUNNING");
    assertThat(hello.exitCode()).as(hello.err()).isZero();
    assertHistoryPortIsLocalAndLocked();
    assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(other.exitValue()).as(Files.readString(project.resolve("other.txt"))).isZero();
    JsonNode after = Json.reader().readTree(cli("history", "list", "--json").out());
    assertThat(after.get("items")).hasSize(2);
    after
        .get("items")
        .forEach(item -> assertThat(item.get("status").asText()).isEqualTo("SUCCEEDED"));
  }

  /** The lock file names the port; it is on 127.0.0.1 and refuses a wrong password. */
  private void assertHistoryPortIsLocalAndLocked() throws Exception {
    Properties lock = new Properties();
    lock.load(
        new StringReader(
            Files.readString(
                project.resolve(".stepguard/history.lock.db"), StandardCharsets.ISO_8859_1)));
    String server = lock.getProperty("server");
    String host = server.substring(0, server.lastIndexOf(':'));
    assertThat(InetAddress.getByName(host).isLoopbackAddress()).as(server).isTrue();
    String url = "jdbc:h2:tcp://" + server + "/" + project.resolve(".stepguard/history");
    assertThatThrownBy(() -> DriverManager.getConnection(url, "stepguard", "guess").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("Wrong user name or password");
  }
}
