package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server under the floods of the HTTP red team at once, on 32 request threads: as many idle
 * event followers as it keeps ({@link EventRoutes#MAX_STREAMS}) and 700 requests whose body stalls
 * halfway. /healthz and a new run must still be answered. Prints the latencies
 * (docs/PERFORMANCE.md); asserts only generous bounds.
 */
class FloodTest {
  private static final int STALLED_BODIES = 700;
  private static final int PROBES = 20;

  @Test
  void healthzAndANewRunAreAnsweredWhileFollowersAndStalledBodiesHoldTheirConnections(
      @TempDir Path directory) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try (TestServer server =
        TestServer.start(directory, "isolation: process\n", "--slots", "2", "--queue", "2")) {
      server.script(
          "sleep.py", "import json,sys,time\ntime.sleep(json.load(sys.stdin)['s'])\nprint('{}')\n");
      server.script("echo.py", "import json,sys\nprint(json.dumps(json.load(sys.stdin)))\n");
      int port = server.server.port();
      HttpResponse<String> accepted =
          server.post(
              "/api/v1/executions",
              TestServer.RUN,
              "{\"script\": \"sleep.py\", \"inputs\": {\"s\": 120}}",
              "Prefer",
              "respond-async");
      String id = json(accepted).get("id").asText();
      for (int i = 0; i < EventRoutes.MAX_STREAMS; i++) {
        Socket follower =
            RawHttp.send(
                port,
                "GET /api/v1/executions/"
                    + id
                    + "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + TestServer.READ
                    + "\r\n\r\n");
        sockets.add(follower);
        assertThat(RawHttp.readUntil(follower, "\"RUNNING\"", 30_000)).startsWith("HTTP/1.1 200");
      }
      for (int i = 0; i < STALLED_BODIES; i++) {
        sockets.add(
            RawHttp.send(
                port,
                "POST /api/v1/executions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + TestServer.RUN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"scr"));
      }

      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < PROBES; i++) {
        long sent = System.nanoTime();
        HttpResponse<String> health =
            server.send(server.request("/healthz", null).timeout(Duration.ofSeconds(10)).build());
        latencies.add((System.nanoTime() - sent) / 1_000_000);
        assertThat(health.statusCode()).isEqualTo(200);
        Thread.sleep(100);
      }
      long sent = System.nanoTime();
      HttpResponse<String> echoed =
          server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"echo.py\"}");
      long runMs = (System.nanoTime() - sent) / 1_000_000;
      assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(201);

      Collections.sort(latencies);
      System.out.printf(
          "flood: %d idle event followers + %d stalled bodies, 32 request threads: /healthz p50 %d"
              + " ms, max %d ms over %d probes; a new run answered 201 in %d ms%n",
          EventRoutes.MAX_STREAMS,
          STALLED_BODIES,
          latencies.get(latencies.size() / 2),
          latencies.get(latencies.size() - 1),
          PROBES,
          runMs);
      server.post("/api/v1/executions/" + id + "/cancel", TestServer.RUN, "");
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }
}
