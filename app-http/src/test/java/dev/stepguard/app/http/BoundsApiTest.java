package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bodies capped before they are read, and a full queue refused with 429. */
class BoundsApiTest {
  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server =
        TestServer.start(
            directory,
            "isolation: process\nlimits:\n  input: 1KiB\n",
            "--slots",
            "1",
            "--queue",
            "1");
    server.script(
        "sleep.py", "import json,sys,time\ntime.sleep(json.load(sys.stdin)['s'])\nprint('{}')\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * Sends {@code head} and then {@code body} on a raw connection; the status line that comes back.
   */
  private static String raw(String head, byte[] body) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.server.port())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      try {
        out.write(body);
        out.flush();
      } catch (IOException closedEarly) {
        // the server may close the connection before the body is all sent: that is the point
      }
      InputStream in = socket.getInputStream();
      byte[] answer = in.readNBytes(4096);
      return new String(answer, StandardCharsets.ISO_8859_1);
    }
  }

  @Test
  void aFloodOfIdleConnectionsIsCutShortAndTheServerStillAnswers() throws Exception {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < HttpApi.MAX_CONNECTIONS; i++) {
        Socket socket = new Socket("127.0.0.1", server.server.port());
        socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(UTF_8));
        idle.add(socket);
      }
      Socket first = idle.get(0);
      first.setSoTimeout(30_000);

      assertThat(first.getInputStream().read()).as("closed by the server").isEqualTo(-1);
      assertThat(raw("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]))
          .startsWith("HTTP/1.1 200");
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
  }

  @Test
  void takesItsSlotsFromTheOperatorConfigUnlessAFlagSaysOtherwise(@TempDir Path other) {
    try (TestServer configured =
        TestServer.start(other, "isolation: process\nhttp:\n  slots: 3\n  queue: 5\n")) {
      JsonNode health = json(configured.get("/api/v1/health", TestServer.READ));

      assertThat(health.at("/slots/capacity").asInt()).isEqualTo(3);
      assertThat(health.at("/slots/queueCapacity").asInt()).isEqualTo(5);
    }
    JsonNode flagged = json(server.get("/api/v1/health", TestServer.READ));
    assertThat(flagged.at("/slots/capacity").asInt()).isEqualTo(1);
    assertThat(flagged.at("/slots/queueCapacity").asInt()).isEqualTo(1);
  }

  @Test
  void refusesADeclaredLengthOverTheCapBeforeReadingIt() throws IOException {
    String answer =
        raw(
            "POST /api/v1/executions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestServer.RUN
                + "\r\nContent-Type: application/json\r\nContent-Length: 500000000\r\n\r\n",
            "{\"script\": ".getBytes(StandardCharsets.US_ASCII));

    assertThat(answer).startsWith("HTTP/1.1 413").contains("/body-too-large");
  }

  @Test
  void refusesAChunkedBodyThatGrowsOverTheCap() throws IOException {
    StringBuilder chunks = new StringBuilder();
    String chunk = "x".repeat(4096);
    for (int i = 0; i < 64; i++) {
      chunks
          .append(Integer.toHexString(chunk.length()))
          .append("\r\n")
          .append(chunk)
          .append("\r\n");
    }
    chunks.append("0\r\n\r\n");

    String answer =
        raw(
            "POST /api/v1/executions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestServer.RUN
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
            chunks.toString().getBytes(StandardCharsets.US_ASCII));

    assertThat(answer).startsWith("HTTP/1.1 413").contains("/body-too-large");
  }

  @Test
  void refusesWith429AndTheQueueDepthWhenEverySlotAndTheQueueAreTaken() {
    String slow = "{\"script\": \"sleep.py\", \"inputs\": {\"s\": 3}}";
    CompletableFuture<HttpResponse<String>> first =
        CompletableFuture.supplyAsync(
            () -> server.post("/api/v1/executions", TestServer.RUN, slow));
    awaitInFlight(1);
    CompletableFuture<HttpResponse<String>> second =
        CompletableFuture.supplyAsync(
            () -> server.post("/api/v1/executions", TestServer.RUN, slow));
    awaitInFlight(2);

    HttpResponse<String> third = server.post("/api/v1/executions", TestServer.RUN, slow);

    assertThat(third.statusCode()).isEqualTo(429);
    assertThat(third.headers().firstValue("Retry-After")).isPresent();
    JsonNode problem = json(third);
    assertThat(problem.get("type").asText()).endsWith("/queue-full");
    assertThat(problem.get("queueDepth").asInt()).isEqualTo(1);
    assertThat(first.join().statusCode()).isEqualTo(201);
    assertThat(second.join().statusCode()).isEqualTo(201);
    assertThat(server.get("/api/v1/metrics", TestServer.READ).body())
        .contains("stepguard_rejections_total 1.0");
  }

  private static void awaitInFlight(int runs) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      JsonNode health = json(server.get("/api/v1/health", TestServer.READ));
      if (health.at("/slots/running").asInt() + health.at("/slots/queued").asInt() >= runs) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the runs did not start");
  }
}
