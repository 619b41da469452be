package dev.stepguard.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Synchronous runs and listings over a server's API, as a client sends them. */
final class HttpRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ServerUnderTest server;

  HttpRuns(ServerUnderTest server) {
    this.server = server;
  }

  /**
   * Runs {@code script} with {@code inputs} and waits for its record; fails unless it succeeded.
   */
  long run(String script, String inputs) throws IOException, InterruptedException {
    String body = "{\"script\": \"" + script + "\", \"inputs\": " + inputs + "}";
    HttpRequest request =
        HttpRequest.newBuilder(uri("/api/v1/executions"))
            .header("Authorization", "Bearer " + server.token)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(120))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    long start = System.nanoTime();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    long elapsed = System.nanoTime() - start;
    if (response.statusCode() != 201
        || !"SUCCEEDED".equals(JSON.readTree(response.body()).path("status").asText())) {
      throw new IllegalStateException(
          "run answered " + response.statusCode() + ": " + response.body());
    }
    return elapsed;
  }

  /** Lists {@code limit} runs, newest first; returns the page. */
  JsonNode list(int limit, String cursor) throws IOException, InterruptedException {
    String query =
        "/api/v1/executions?limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor);
    HttpRequest request =
        HttpRequest.newBuilder(uri(query))
            .header("Authorization", "Bearer " + server.token)
            .timeout(Duration.ofSeconds(120))
            .GET()
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "listing answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  /** Whether the newest run of the history was run by the process {@code pid}. */
  boolean newestRanBy(long pid) throws IOException, InterruptedException {
    String id = list(1, null).path("items").path(0).path("id").asText();
    HttpRequest request =
        HttpRequest.newBuilder(uri("/api/v1/executions/" + id))
            .header("Authorization", "Bearer " + server.token)
            .timeout(Duration.ofSeconds(60))
            .GET()
            .build();
    JsonNode record =
        JSON.readTree(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
    return record.path("supervisor").path("pid").asLong() == pid;
  }

  /** How many runs the history holds, counted page by page. */
  long count() throws IOException, InterruptedException {
    long count = 0;
    String cursor = null;
    do {
      JsonNode page = list(1000, cursor);
      count += page.path("items").size();
      JsonNode next = page.path("nextCursor");
      cursor = next.isTextual() ? next.asText() : null;
    } while (cursor != null);
    return count;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port + path);
  }
}
