package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs started with Prefer: respond-async, followed by polling and by events, and cancelled. */
class AsyncApiTest {
  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\n");
    server.script(
        "sleep.py",
        "import json,sys,time\nsecs=json.load(sys.stdin)['s']\ntime.sleep(secs)\n"
            + "print(json.dumps({'slept': secs}))\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String startAsync(double seconds) {
    HttpResponse<String> accepted =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"sleep.py\", \"inputs\": {\"s\": " + seconds + "}}",
            "Prefer",
            "respond-async");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    JsonNode running = json(accepted);
    assertThat(running.get("status").asText()).isEqualTo("RUNNING");
    String id = running.get("id").asText();
    assertThat(accepted.headers().firstValue("Location")).hasValue("/api/v1/executions/" + id);
    return id;
  }

  @Test
  void answers202ThenTheRecordByPolling() throws InterruptedException {
    String id = startAsync(0.5);

    JsonNode record = null;
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      record = json(server.get("/api/v1/executions/" + id, TestServer.READ));
      if (!record.get("status").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(100);
    }

    assertThat(record.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.at("/output/slept").asDouble()).isEqualTo(0.5);
  }

  @Test
  void streamsTheStatusChangesThenTheRecord() throws IOException, InterruptedException {
    String id = startAsync(0.5);

    HttpResponse<InputStream> stream =
        server.client.send(
            server.request("/api/v1/executions/" + id + "/events", TestServer.READ).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    }

    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    List<String> events = lines.stream().filter(l -> l.startsWith("event: ")).toList();
    assertThat(events).containsExactly("event: status", "event: status", "event: record");
    List<String> data = lines.stream().filter(l -> l.startsWith("data: ")).toList();
    assertThat(data.get(0)).contains("\"RUNNING\"");
    assertThat(data.get(1)).contains("\"SUCCEEDED\"");
    assertThat(data.get(2)).contains("\"slept\":0.5").contains(id);
  }

  @Test
  void cancelsARunningRunAsCancelledByTheTokensLabel() throws InterruptedException {
    String id = startAsync(60);

    HttpResponse<String> cancel =
        server.post("/api/v1/executions/" + id + "/cancel", TestServer.RUN, "");

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    JsonNode record = null;
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      record = json(server.get("/api/v1/executions/" + id, TestServer.READ));
      if (!record.get("status").asText().equals("RUNNING")) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(record.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(record.at("/cancelledBy/cause").asText()).isEqualTo("cancel request");
    assertThat(record.at("/cancelledBy/requester/name").asText()).isEqualTo("ci");
  }

  @Test
  void aClientThatGoesAwayDoesNotCancelItsRun() throws InterruptedException {
    HttpRequest waiting =
        server
            .request("/api/v1/executions", TestServer.RUN)
            .timeout(Duration.ofMillis(300))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"script\": \"sleep.py\", \"inputs\": {\"s\": 1.5}}"))
            .build();

    assertThatThrownBy(() -> server.client.send(waiting, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);

    JsonNode run = null;
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      JsonNode page =
          json(server.get("/api/v1/executions?script=sleep.py&limit=1000", TestServer.READ));
      run = null;
      for (JsonNode item : page.get("items")) {
        if (item.get("durationMs").asLong() >= 1000
            && item.get("status").asText().equals("SUCCEEDED")) {
          run = item;
        }
      }
      if (run != null) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(run).as("the abandoned request's run ended SUCCEEDED").isNotNull();
  }

  @Test
  void refusesAReadOnlyTokenCancelling() {
    String id = startAsync(0.2);

    HttpResponse<String> cancel =
        server.post("/api/v1/executions/" + id + "/cancel", TestServer.READ, "");

    assertThat(cancel.statusCode()).isEqualTo(403);
  }
}
