package dev.stepguard.app.http;

import static dev.stepguard.app.http.EventStreamsApiTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Clients that send a request slowly, or stop halfway, hold no request thread: the server keeps
 * answering while more of them than it has threads wait, and cuts each off with a 408 problem.
 */
class SlowClientsApiTest {
  /** More than the 32 request threads of the server. */
  private static final int CLIENTS = 80;

  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\n", "--slots", "2", "--queue", "2");
    server.script("echo.py", "import json,sys\nprint(json.dumps(json.load(sys.stdin)))\n");
    server.script(
        "sleep.py", "import json,sys,time\ntime.sleep(json.load(sys.stdin)['s'])\nprint('{}')\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String head(int contentLength) {
    return "POST /api/v1/executions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
        + TestServer.RUN
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  private void assertStillAnswering() {
    HttpResponse<String> health =
        server.send(server.request("/healthz", null).timeout(Duration.ofSeconds(10)).build());
    HttpResponse<String> echoed =
        server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"echo.py\"}");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(echoed.statusCode()).as(echoed.body()).isEqualTo(201);
  }

  private static void assertCutOffWith408(Socket client) throws IOException {
    String answer = RawHttp.readAll(client, 60_000);

    assertThat(answer).as("answer to a slow client").isNotNull().startsWith("HTTP/1.1 408");
    assertThat(answer).contains("application/problem+json");
    assertThat(parse(RawHttp.body(answer)).get("type").asText()).endsWith("/request-timeout");
  }

  @Test
  void bodiesThatStopHalfwayHoldNoThreadAndAreCutOffWith408() throws IOException {
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(RawHttp.send(server.server.port(), head(100) + "{\"script\": "));
      }

      assertStillAnswering();
      for (Socket client : clients) {
        assertCutOffWith408(client);
      }
    } finally {
      for (Socket client : clients) {
        client.close();
      }
    }
  }

  @Test
  void headersAndThenSilenceHoldNoThreadAndAreCutOffWith408() throws IOException {
    List<Socket> clients = new ArrayList<>();
    try {
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(RawHttp.send(server.server.port(), head(50)));
      }

      assertStillAnswering();
      for (Socket client : clients) {
        assertCutOffWith408(client);
      }
    } finally {
      for (Socket client : clients) {
        client.close();
      }
    }
  }

  @Test
  void aBodyThatTricklesInIsCutOffAtTheDeadline() throws Exception {
    try (Socket client = RawHttp.send(server.server.port(), head(10_000))) {
      OutputStream out = client.getOutputStream();
      // One byte a second: never idle long enough for the idle timeout, but never done either.
      CompletableFuture<Void> trickle =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 60; i++) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(1_000);
                  }
                } catch (IOException cutOff) {
                  // the server closed the connection: what the test waits for
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      long started = System.nanoTime();

      String answer = RawHttp.readAll(client, 60_000);

      long tookSeconds = (System.nanoTime() - started) / 1_000_000_000L;
      assertThat(answer).startsWith("HTTP/1.1 408").contains("did not all arrive within 20s");
      assertThat(tookSeconds)
          .as("cut off at the deadline, not at the end of the trickle")
          .isLessThan(50);
      client.shutdownOutput();
      trickle.get();
    }
  }

  @Test
  void headersThatTrickleInAreCutOff() throws Exception {
    try (Socket client =
        RawHttp.send(server.server.port(), "GET /healthz HTTP/1.1\r\nHost: localhost\r\n")) {
      OutputStream out = client.getOutputStream();
      // A header line every 2 s: never idle long enough for the idle timeout, never done either.
      CompletableFuture<Void> trickle =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < 60; i++) {
                    out.write(("X-" + i + ": x\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(2_000);
                  }
                } catch (IOException cutOff) {
                  // the server closed the connection: what the test waits for
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      long started = System.nanoTime();

      String answer = RawHttp.readAll(client, 120_000);

      long tookSeconds = (System.nanoTime() - started) / 1_000_000_000L;
      assertThat(answer).as("no answer to a request that never ended its headers").isNull();
      assertThat(tookSeconds)
          .as("cut off within two periods, not at the end of the trickle")
          .isLessThan(60);
      client.shutdownOutput();
      trickle.get();
    }
  }

  @Test
  void aSynchronousRunLongerThanTheIdleTimeoutIsStillAnswered() {
    long idleSeconds = HttpApi.READING_IDLE_MS / 1000;
    String body = "{\"script\": \"sleep.py\", \"inputs\": {\"s\": " + (idleSeconds + 2) + "}}";

    HttpResponse<String> response = server.post("/api/v1/executions", TestServer.RUN, body);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(response.body()).contains("SUCCEEDED");
  }

  @ParameterizedTest
  @CsvSource({"application/json, 201", "text/plain, 415"})
  void aConnectionLeftIdleAfterAnAnswerIsCutAfterTheShortIdleTimeout(String type, int status)
      throws IOException {
    byte[] body = "{\"script\": \"echo.py\"}".getBytes(StandardCharsets.UTF_8);
    try (Socket client =
        RawHttp.send(server.server.port(), head(body.length).replace(Json.TYPE, type))) {
      client.getOutputStream().write(body);
      client.getOutputStream().flush();
      assertThat(RawHttp.readResponse(client, 30_000)).startsWith("HTTP/1.1 " + status);
      long answered = System.nanoTime();

      String more = RawHttp.readAll(client, 120_000);

      long idleSeconds = (System.nanoTime() - answered) / 1_000_000_000L;
      // Well under the wait a run may take (maxTimeout + grace + 60 s), which the run had.
      assertThat(more).as("nothing more after the answer").isNull();
      assertThat(idleSeconds).isLessThan(60);
    }
  }

  @Test
  void aWholeBodySentInPiecesIsRead() throws IOException {
    byte[] body =
        "{\"script\": \"echo.py\", \"inputs\": {\"n\": 1}}".getBytes(StandardCharsets.UTF_8);
    try (Socket client =
        RawHttp.send(
            server.server.port(),
            head(body.length).replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n"))) {
      for (byte b : body) {
        client.getOutputStream().write(b);
        client.getOutputStream().flush();
      }

      String answer = RawHttp.readAll(client, 30_000);

      assertThat(answer).startsWith("HTTP/1.1 201").contains("\"n\":1");
    }
  }
}
