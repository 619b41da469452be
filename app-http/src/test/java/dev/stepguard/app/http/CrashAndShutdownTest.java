package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a server process leaves when it is stopped with SIGTERM, and when it is killed. */
class CrashAndShutdownTest {
  private static final String SLEEPER =
      "import json,os,sys,time\nname=json.load(sys.stdin)['name']\n"
          + "open(name+'.pid','w').write(str(os.getpid()))\ntime.sleep(120)\nprint('{}')\n";

  @TempDir Path directory;
  private final HttpClient client = HttpClient.newHttpClient();

  private Path project() throws IOException {
    Path project = Files.createDirectories(directory.resolve("project"));
    Files.writeString(project.resolve("sleeper.py"), SLEEPER);
    Files.writeString(directory.resolve("operator.yaml"), "isolation: process\ntimeout: 5m\n");
    return project;
  }

  private String startAsync(ServerProcess server, String token, String name, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port + "/api/v1/executions"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .header("Prefer", "respond-async")
            .POST(HttpRequest.BodyPublishers.ofString(sleeperBody(name)));
    if (headers.length > 0) {
      request.headers(headers);
    }
    HttpResponse<String> accepted =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return json(accepted).get("id").asText();
  }

  private static String sleeperBody(String name) {
    return "{\"script\": \"sleeper.py\", \"inputs\": {\"name\": \"" + name + "\"}}";
  }

  private static long pidWritten(Path project, String name)
      throws InterruptedException, IOException {
    Path file = project.resolve(name + ".pid");
    for (int i = 0; i < 200 && !(Files.exists(file) && Files.size(file) > 0); i++) {
      Thread.sleep(50);
    }
    return Long.parseLong(Files.readString(file).trim());
  }

  @Test
  void killedWithRunsInFlightTheNextStartClosesThemAbandonedAndTheirScriptsAreGone()
      throws Exception {
    Path project = project();
    List<String> ids = new ArrayList<>();
    List<Long> pids = new ArrayList<>();
    long killed;
    try (ServerProcess server = ServerProcess.start(project, directory.resolve("operator.yaml"))) {
      String token = ServerProcess.defaultToken(project);
      for (String name : List.of("a", "b")) {
        ids.add(startAsync(server, token, name));
        pids.add(pidWritten(project, name));
      }
      killed = server.process.pid();
      server.process.destroyForcibly();
      assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(leftBy(killed)).as("a killed server cannot clean up").isNotEmpty();

    try (TestServer restarted = TestServer.start(directory, "isolation: process\n")) {
      assertThat(leftBy(killed))
          .as("what the killed server left in the temporary directory")
          .isEmpty();
      for (String id : ids) {
        JsonNode record = json(restarted.get("/api/v1/executions/" + id, TestServer.READ));
        assertThat(record.get("status").asText()).isEqualTo("ABANDONED");
      }
      JsonNode running = json(restarted.get("/api/v1/executions?status=RUNNING", TestServer.READ));
      assertThat(running.get("items")).isEmpty();
    }
    for (long pid : pids) {
      assertGone(pid);
    }
  }

  @Test
  void killedWithARunQueuedTheNextStartClosesItAbandonedNeverStartedAndItsKeyAnswersThat()
      throws Exception {
    Path project = project();
    String running;
    String queued;
    long pid;
    try (ServerProcess server =
        ServerProcess.start(project, directory.resolve("operator.yaml"), "--slots", "1")) {
      String token = ServerProcess.defaultToken(project);
      running = startAsync(server, token, "first");
      pid = pidWritten(project, "first");
      queued = startAsync(server, token, "second", "Idempotency-Key", "queued-1");
      server.process.destroyForcibly();
      assertThat(server.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    try (TestServer restarted = TestServer.start(directory, "isolation: process\n")) {
      JsonNode record = json(restarted.get("/api/v1/executions/" + queued, TestServer.READ));
      assertThat(record.get("status").asText()).isEqualTo("ABANDONED");
      assertThat(record.at("/error/message").asText()).contains("never started");
      assertThat(record.at("/requestedBy/name").asText()).isEqualTo("default");
      assertThat(record.at("/inputs/name").asText()).isEqualTo("second");
      assertThat(
              json(restarted.get("/api/v1/executions/" + running, TestServer.READ))
                  .get("status")
                  .asText())
          .isEqualTo("ABANDONED");
      HttpResponse<String> again =
          restarted.post(
              "/api/v1/executions",
              ServerProcess.defaultToken(project),
              sleeperBody("second"),
              "Idempotency-Key",
              "queued-1");
      assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
      assertThat(json(again).get("id").asText()).isEqualTo(queued);
      assertThat(json(again).get("status").asText()).isEqualTo("ABANDONED");
    }
    assertGone(pid);
    assertThat(project.resolve("second.pid")).doesNotExist();
  }

  @Test
  void sigtermCancelsTheRunsThatOutlastTheDrainAndClosesTheHistory() throws Exception {
    Path project = project();
    String id;
    long pid;
    try (ServerProcess server =
        ServerProcess.start(project, directory.resolve("operator.yaml"), "--drain", "1s")) {
      id = startAsync(server, ServerProcess.defaultToken(project), "term");
      pid = pidWritten(project, "term");
      server.process.destroy();
      assertThat(server.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(server.process.exitValue()).isEqualTo(143);
    }

    try (TestServer restarted = TestServer.start(directory, "isolation: process\n")) {
      JsonNode record = json(restarted.get("/api/v1/executions/" + id, TestServer.READ));
      assertThat(record.get("status").asText()).isEqualTo("CANCELLED");
      assertThat(record.at("/cancelledBy/cause").asText()).isEqualTo("SIGTERM");
      assertThat(record.at("/cancelledBy/requester/channel").asText()).isEqualTo("server");
      assertThat(record.at("/error/message").asText()).contains("stepguard server");
    }
    assertGone(pid);
  }

  /**
   * The directories (run homes, warm socket) that the stepguard of {@code pid} made in the JVM's
   * temporary directory.
   */
  private static List<Path> leftBy(long pid) throws IOException {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries
          .filter(
              entry ->
                  entry.getFileName().toString().matches("stepguard-[a-z]+-\\d+-" + pid + "-.*"))
          .toList();
    }
  }

  /** The script's process ends (the recovery or the cancel stops it; it may take its grace). */
  private static void assertGone(long pid) throws Exception {
    java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isPresent()) {
      assertThat(process.get().onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
    }
  }

  @Test
  void answersWithTheDefaultTokenWrittenOnFirstStart() throws Exception {
    Path project = project();
    try (ServerProcess server = ServerProcess.start(project, directory.resolve("operator.yaml"))) {
      String token = ServerProcess.defaultToken(project);
      HttpResponse<String> health =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + server.port + "/api/v1/executions"))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(Files.getPosixFilePermissions(project.resolve(".stepguard/token")))
          .containsExactlyInAnyOrder(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }
  }
}
