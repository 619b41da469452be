package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Once stopping began, /healthz says so, so that load balancers send no more. */
class DrainingApiTest {
  @TempDir Path directory;

  @Test
  void healthzAnswers503DrainingWhileRunsFinishAfterStopBegan() throws Exception {
    TestServer server = TestServer.start(directory, "isolation: process\n", "--drain", "30s");
    server.script("nap.py", "import time,sys\nsys.stdin.read()\ntime.sleep(4)\nprint('{}')\n");
    HttpResponse<String> accepted =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"nap.py\"}",
            "Prefer",
            "respond-async");
    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(server.get("/healthz", null).body()).isEqualTo("ok");

    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
    HttpResponse<String> health = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      health = server.get("/healthz", null);
      if (health.statusCode() != 200) {
        break;
      }
      Thread.sleep(50);
    }

    assertThat(health).isNotNull();
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.body()).isEqualTo("draining");
    stopping.get(60, TimeUnit.SECONDS);
  }
}
