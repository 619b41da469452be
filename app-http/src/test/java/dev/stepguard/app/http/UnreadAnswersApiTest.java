package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client that asks for a run and then never reads its answer holds nothing of the server's. */
class UnreadAnswersApiTest {
  @TempDir Path directory;

  @Test
  void aSynchronousClientThatNeverReadsItsLargeAnswerDoesNotHoldTheRunSlot() throws Exception {
    try (TestServer server =
        TestServer.start(directory, "isolation: process\n", "--slots", "1", "--queue", "0")) {
      server.script(
          "big.py",
          "import json,sys\njson.load(sys.stdin)\nprint(json.dumps({'x': 'a' * 8_000_000}))\n");
      server.script("hello.py", "import json,sys\njson.load(sys.stdin)\nprint('{}')\n");
      String body = "{\"script\":\"big.py\",\"inputs\":{}}";
      try (Socket lazy = new Socket()) {
        lazy.setReceiveBufferSize(4096);
        lazy.connect(new InetSocketAddress("127.0.0.1", server.uri("/").getPort()));
        lazy.getOutputStream()
            .write(
                ("POST /api/v1/executions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer "
                        + TestServer.RUN
                        + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length()
                        + "\r\n\r\n"
                        + body)
                    .getBytes(StandardCharsets.ISO_8859_1));
        lazy.getOutputStream().flush();
        awaitSucceeded(server);
        // The 8 MB answer cannot all be written to a client that does not read; the slot is free
        // all the same, so the next run gets it (allowing a moment for the slot's thread to
        // return).
        HttpResponse<String> next = null;
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
          next =
              server.post(
                  "/api/v1/executions", TestServer.RUN, "{\"script\":\"hello.py\",\"inputs\":{}}");
          if (next.statusCode() != 429) {
            break;
          }
          Thread.sleep(100);
        }
        assertThat(next).isNotNull();
        assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
      }
    }
  }

  private static void awaitSucceeded(TestServer server) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      var items =
          json(server.get("/api/v1/executions?script=big.py", TestServer.READ)).get("items");
      if (items.size() == 1 && "SUCCEEDED".equals(items.get(0).get("status").asText())) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("big.py did not succeed within 60 s");
  }
}
