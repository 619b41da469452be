package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event streams hold no request thread: more idle followers than the server has request threads
 * leave it answering, one over the cap is refused at once, and a run of another stepguard process
 * is followed through the history to its record.
 */
class EventStreamsApiTest {
  private static final String SLEEP =
      "import json,sys,time\nsecs=json.load(sys.stdin)['s']\ntime.sleep(secs)\n"
          + "print(json.dumps({'slept': secs}))\n";

  @TempDir Path directory;

  private static String startAsync(int port, double seconds) throws Exception {
    HttpResponse<String> accepted =
        java.net.http.HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/executions"))
                    .header("Authorization", "Bearer " + TestServer.RUN)
                    .header("Content-Type", "application/json")
                    .header("Prefer", "respond-async")
                    .timeout(Duration.ofSeconds(30))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"script\": \"sleep.py\", \"inputs\": {\"s\": " + seconds + "}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return json(accepted).get("id").asText();
  }

  private static String follow(String id) {
    return "GET /api/v1/executions/"
        + id
        + "/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + TestServer.READ
        + "\r\n\r\n";
  }

  @Test
  void idleFollowersBeyondTheRequestThreadsLeaveTheServerAnsweringAndOneOverTheCapIsRefused()
      throws Exception {
    List<Socket> followers = new ArrayList<>();
    try (TestServer server =
        TestServer.start(
            directory, "isolation: process\nmaxTimeout: 5m\n", "--slots", "2", "--queue", "2")) {
      server.script("sleep.py", SLEEP);
      server.script("echo.py", "import json,sys\nprint(json.dumps(json.load(sys.stdin)))\n");
      int port = server.server.port();
      String id = startAsync(port, 120);
      // 256 streams, far more than the 32 request threads of this server; none of them reads on.
      for (int i = 0; i < EventRoutes.MAX_STREAMS; i++) {
        Socket follower = RawHttp.send(port, follow(id));
        followers.add(follower);
        assertThat(RawHttp.readUntil(follower, "\"RUNNING\"", 30_000))
            .as("stream %d opened", i)
            .startsWith("HTTP/1.1 200")
            .contains("text/event-stream")
            .contains("\"RUNNING\"");
      }

      String refused =
          RawHttp.exchange(port, follow(id).replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"));
      HttpResponse<String> health =
          server.send(server.request("/healthz", null).timeout(Duration.ofSeconds(10)).build());
      HttpResponse<String> echoed =
          server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"echo.py\"}");

      assertThat(refused).startsWith("HTTP/1.1 503").contains("application/problem+json");
      assertThat(parse(RawHttp.body(refused)).get("type").asText()).endsWith("/too-many-streams");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("ok");
      assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(201);
      server.post("/api/v1/executions/" + id + "/cancel", TestServer.RUN, "");
    } finally {
      for (Socket follower : followers) {
        follower.close();
      }
    }
  }

  @Test
  void followsARunOfAnotherProcessThroughTheHistoryToItsRecord() throws Exception {
    try (TestServer server = TestServer.start(directory, "isolation: process\n")) {
      server.script("sleep.py", SLEEP);
      try (ServerProcess other =
          ServerProcess.start(server.project, directory.resolve("operator.yaml"))) {
        String id = startAsync(other.port, 4);
        // A loaded machine may answer 202 before the other process has recorded the run.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (server.get("/api/v1/executions/" + id, TestServer.READ).statusCode() == 404
            && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }

        List<String> lines = new ArrayList<>();
        HttpResponse<InputStream> stream =
            server.client.send(
                server
                    .request("/api/v1/executions/" + id + "/events", TestServer.READ)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader =
            new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
          for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
          }
        }

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(lines.stream().filter(l -> l.startsWith("event: ")))
            .containsExactly("event: status", "event: status", "event: record");
        List<String> data = lines.stream().filter(l -> l.startsWith("data: ")).toList();
        assertThat(data.get(0)).contains("\"RUNNING\"");
        assertThat(data.get(1)).contains("\"SUCCEEDED\"");
        JsonNode record = parse(data.get(2).substring("data: ".length()));
        assertThat(record.get("id").asText()).isEqualTo(id);
        assertThat(record.at("/output/slept").asDouble()).isEqualTo(4.0);
      }
    }
  }

  static JsonNode parse(String text) throws IOException {
    return dev.stepguard.core.model.Json.reader().readTree(text);
  }
}
