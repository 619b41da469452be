package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 400 requests from 16 concurrent clients against 4 run slots, on loopback: every answer is 201 or
 * 429, and every 201 names exactly one record of the history (429s record nothing). Prints
 * throughput and latency percentiles (docs/PERFORMANCE.md); asserts no timing.
 */
class BoundedLoadTest {
  private static final int REQUESTS = 400;
  private static final int CLIENTS = 16;

  @Test
  void everyAnswerIs201Or429AndEvery201HasExactlyOneRecord(@TempDir Path directory)
      throws Exception {
    try (TestServer server =
        TestServer.start(directory, "isolation: process\n", "--slots", "4", "--queue", "8")) {
      server.script("echo.py", "import json,sys\nprint(json.dumps(json.load(sys.stdin)))\n");
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<long[]>> answers = new ArrayList<>();
      long start = System.nanoTime();
      List<String> created = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < REQUESTS; i++) {
        int n = i;
        answers.add(
            clients.submit(
                () -> {
                  long sent = System.nanoTime();
                  HttpResponse<String> response =
                      server.post(
                          "/api/v1/executions",
                          TestServer.RUN,
                          "{\"script\": \"echo.py\", \"inputs\": {\"n\": " + n + "}}");
                  long took = System.nanoTime() - sent;
                  if (response.statusCode() == 201) {
                    created.add(json(response).get("id").asText());
                  }
                  return new long[] {response.statusCode(), took};
                }));
      }
      Map<Long, Integer> byStatus = new HashMap<>();
      List<Long> latencies = new ArrayList<>();
      for (Future<long[]> answer : answers) {
        long[] result = answer.get();
        byStatus.merge(result[0], 1, Integer::sum);
        latencies.add(result[1]);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      clients.shutdown();

      assertThat(byStatus.keySet()).isSubsetOf(201L, 429L);
      assertThat(created).doesNotHaveDuplicates().hasSize(byStatus.getOrDefault(201L, 0));
      List<String> recorded = new ArrayList<>();
      String cursor = null;
      do {
        JsonNode page =
            json(
                server.get(
                    "/api/v1/executions?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor),
                    TestServer.READ));
        page.get("items").forEach(item -> recorded.add(item.get("id").asText()));
        cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      } while (cursor != null);
      assertThat(recorded).containsExactlyInAnyOrderElementsOf(created);

      Collections.sort(latencies);
      System.out.printf(
          "bounded load: %d requests, %d clients, 4 slots, queue 8: %s in %.1f s (%.1f answers/s,"
              + " %.1f runs/s); latency p50 %d ms, p99 %d ms, max %d ms%n",
          REQUESTS,
          CLIENTS,
          byStatus,
          seconds,
          REQUESTS / seconds,
          byStatus.getOrDefault(201L, 0) / seconds,
          latencies.get(latencies.size() / 2) / 1_000_000,
          latencies.get((int) (latencies.size() * 0.99)) / 1_000_000,
          latencies.get(latencies.size() - 1) / 1_000_000);
    }
  }
}
