package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs accepted while every slot is busy: recorded before their 202, shown, followed and cancelled
 * like any run, and never started once cancelled. One slot, so a sleeping run holds it.
 */
class QueuedRunsApiTest {
  @TempDir Path directory;
  private TestServer server;
  private final List<String> blockers = new ArrayList<>();

  @BeforeEach
  void start() {
    server = TestServer.start(directory, "isolation: process\n", "--slots", "1", "--queue", "4");
    server.script(
        "sleep.py",
        "import json,sys,time\nsecs=json.load(sys.stdin)['s']\ntime.sleep(secs)\n"
            + "print(json.dumps({'slept': secs}))\n");
    server.script(
        "mark.py",
        "import json,sys\nname=json.load(sys.stdin)['name']\nopen(name,'w').write('ran')\n"
            + "print('{}')\n");
    server.script(
        "flows/mark.yaml",
        "name: mark\nsteps:\n  - id: only\n    script: mark.py\n    inputs: {name: wf-ran}\n");
  }

  @AfterEach
  void stop() {
    for (String id : blockers) {
      server.post("/api/v1/executions/" + id + "/cancel", TestServer.RUN, "");
    }
    server.close();
  }

  /** Takes the only slot with a run that sleeps {@code seconds}, and waits until it started. */
  private String block(double seconds) throws InterruptedException {
    String id = startAsync("{\"script\": \"sleep.py\", \"inputs\": {\"s\": " + seconds + "}}");
    blockers.add(id);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (json(server.get("/api/v1/executions/" + id, TestServer.READ)).get("queued").asBoolean()
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    return id;
  }

  private String startAsync(String body) {
    HttpResponse<String> accepted =
        server.post("/api/v1/executions", TestServer.RUN, body, "Prefer", "respond-async");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return json(accepted).get("id").asText();
  }

  private JsonNode until(String path, String notStatus) throws InterruptedException {
    JsonNode record = json(server.get(path, TestServer.READ));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (record.get("status").asText().equals(notStatus) && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      record = json(server.get(path, TestServer.READ));
    }
    return record;
  }

  @Test
  void aQueuedRunIsRecordedAndShownBeforeItStarts() throws InterruptedException {
    block(60);

    HttpResponse<String> accepted =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"mark.py\", \"inputs\": {\"name\": \"ran\"}, \"timeout\": \"7s\"}",
            "Prefer",
            "respond-async");

    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    assertThat(json(accepted).get("queued").asBoolean()).isTrue();
    String id = json(accepted).get("id").asText();
    JsonNode shown = json(server.get("/api/v1/executions/" + id, TestServer.READ));
    assertThat(shown.get("status").asText()).isEqualTo("RUNNING");
    assertThat(shown.get("queued").asBoolean()).isTrue();
    assertThat(shown.get("process").isNull()).isTrue();
    assertThat(shown.at("/inputs/name").asText()).isEqualTo("ran");
    assertThat(shown.get("timeoutMs").asLong()).isEqualTo(7000);
    assertThat(shown.at("/requestedBy/name").asText()).isEqualTo("ci");
    JsonNode listed = json(server.get("/api/v1/executions?status=RUNNING", TestServer.READ));
    for (JsonNode item : listed.get("items")) {
      assertThat(item.get("queued").asBoolean()).isEqualTo(item.get("id").asText().equals(id));
    }
    assertThat(listed.get("items")).hasSize(2);
  }

  @Test
  void cancellingAQueuedRunEndsItCancelledAtOnceAndItsScriptNeverRuns()
      throws InterruptedException {
    block(3);
    String id = startAsync("{\"script\": \"mark.py\", \"inputs\": {\"name\": \"ran\"}}");

    HttpResponse<String> cancel =
        server.post("/api/v1/executions/" + id + "/cancel", TestServer.RUN, "");

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    JsonNode record = json(server.get("/api/v1/executions/" + id, TestServer.READ));
    assertThat(record.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(record.get("queued").asBoolean()).isFalse();
    assertThat(record.at("/cancelledBy/requester/name").asText()).isEqualTo("ci");
    assertThat(record.at("/error/message").asText()).contains("nothing ran");
    assertThat(server.post("/api/v1/executions/" + id + "/cancel", TestServer.RUN, "").statusCode())
        .isEqualTo(409);
    // The blocker ends and the slot passes on: the cancelled run must still not run.
    until("/api/v1/executions/" + blockers.get(0), "RUNNING");
    String after = startAsync("{\"script\": \"sleep.py\", \"inputs\": {\"s\": 0.1}}");
    assertThat(until("/api/v1/executions/" + after, "RUNNING").get("status").asText())
        .isEqualTo("SUCCEEDED");
    assertThat(server.project.resolve("ran")).doesNotExist();
  }

  @Test
  void aCancelledQueuedRunGivesItsPlaceInTheQueueBackAtOnce() {
    try (TestServer small =
        TestServer.start(
            directory.resolve("small"), "isolation: process\n", "--slots", "1", "--queue", "1")) {
      small.script(
          "sleep.py", "import json,sys,time\ntime.sleep(json.load(sys.stdin)['s'])\nprint('{}')\n");
      String slow = "{\"script\": \"sleep.py\", \"inputs\": {\"s\": 30}}";
      String blocker =
          json(small.post("/api/v1/executions", TestServer.RUN, slow, "Prefer", "respond-async"))
              .get("id")
              .asText();
      String queued =
          json(small.post("/api/v1/executions", TestServer.RUN, slow, "Prefer", "respond-async"))
              .get("id")
              .asText();
      assertThat(
              small
                  .post("/api/v1/executions", TestServer.RUN, slow, "Prefer", "respond-async")
                  .statusCode())
          .isEqualTo(429);

      assertThat(
              small
                  .post("/api/v1/executions/" + queued + "/cancel", TestServer.RUN, "")
                  .statusCode())
          .isEqualTo(202);

      HttpResponse<String> next =
          small.post("/api/v1/executions", TestServer.RUN, slow, "Prefer", "respond-async");
      assertThat(next.statusCode()).as(next.body()).isEqualTo(202);
      small.post(
          "/api/v1/executions/" + json(next).get("id").asText() + "/cancel", TestServer.RUN, "");
      small.post("/api/v1/executions/" + blocker + "/cancel", TestServer.RUN, "");
    }
  }

  @Test
  void eventsFollowAQueuedRunFromItsAcceptanceToItsEnd() throws IOException, InterruptedException {
    block(1);
    String id = startAsync("{\"script\": \"sleep.py\", \"inputs\": {\"s\": 0.2}}");

    HttpResponse<InputStream> stream =
        server.client.send(
            server.request("/api/v1/executions/" + id + "/events", TestServer.READ).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    List<String> data = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.startsWith("data: ")) {
          data.add(line);
        }
      }
    }

    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(data.get(0)).contains("\"RUNNING\"");
    assertThat(data.get(data.size() - 1)).contains("\"SUCCEEDED\"", id);
  }

  @Test
  void aQueuedRunsTimeoutCountsFromItsStartNotFromItsAcceptance() throws InterruptedException {
    block(4);
    String id =
        startAsync("{\"script\": \"sleep.py\", \"inputs\": {\"s\": 0.3}, \"timeout\": \"3s\"}");
    Instant acceptedAt =
        Instant.parse(
            json(server.get("/api/v1/executions/" + id, TestServer.READ))
                .get("startedAt")
                .asText());

    JsonNode record = until("/api/v1/executions/" + id, "RUNNING");

    assertThat(record.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(Instant.parse(record.get("startedAt").asText())).isAfter(acceptedAt);
    assertThat(record.get("durationMs").asLong()).isLessThan(3000);
  }

  @Test
  void cancellingAQueuedWorkflowRunEndsItCancelledWithNoStepRun() throws InterruptedException {
    block(3);
    HttpResponse<String> accepted =
        server.post(
            "/api/v1/workflow-runs",
            TestServer.RUN,
            "{\"workflow\": \"flows/mark.yaml\"}",
            "Prefer",
            "respond-async");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = json(accepted).get("id").asText();
    assertThat(
            json(server.get("/api/v1/workflow-runs/" + id, TestServer.READ)).get("status").asText())
        .isEqualTo("RUNNING");

    HttpResponse<String> cancel =
        server.post("/api/v1/workflow-runs/" + id + "/cancel", TestServer.RUN, "");

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    JsonNode run = json(server.get("/api/v1/workflow-runs/" + id, TestServer.READ));
    assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(run.get("steps")).isEmpty();
    assertThat(run.at("/error/message").asText()).contains("ci", "no step ran");
    until("/api/v1/executions/" + blockers.get(0), "RUNNING");
    String after = startAsync("{\"script\": \"sleep.py\", \"inputs\": {\"s\": 0.1}}");
    assertThat(until("/api/v1/executions/" + after, "RUNNING").get("status").asText())
        .isEqualTo("SUCCEEDED");
    assertThat(Files.exists(server.project.resolve("wf-ran"))).isFalse();
  }
}
