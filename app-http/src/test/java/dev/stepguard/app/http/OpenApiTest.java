package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document and the API routes the server registers say the same, both ways (the web
 * pages are HTML for browsers, not part of the API: docs/web.md describes them).
 */
class OpenApiTest {
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  @Test
  void documentsEveryRegisteredRouteAndNoOther(@TempDir Path directory) {
    try (TestServer server = TestServer.start(directory, "isolation: process\n")) {
      HttpResponse<String> response = server.get("/api/v1/openapi.json", TestServer.READ);
      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode document = json(response);

      Set<String> documented = new TreeSet<>();
      for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
        path.getValue()
            .fieldNames()
            .forEachRemaining(
                method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
      }
      Set<String> registered = new TreeSet<>();
      server.server.routes().stream()
          .filter(route -> METHODS.contains(route.method()))
          .filter(route -> route.path().startsWith("/api/") || route.path().equals("/healthz"))
          .forEach(route -> registered.add(route.method() + " " + route.path()));

      assertThat(document.get("openapi").asText()).startsWith("3.1");
      assertThat(registered).hasSizeGreaterThanOrEqualTo(12);
      assertThat(documented).isEqualTo(registered);
    }
  }
}
