package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting and reading single runs over HTTP, against a real server, Python and H2 history. */
class ExecutionsApiTest {
  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\nmaxTimeout: 20s\n");
    server.script("echo.py", "import json,sys\nprint(json.dumps({'got': json.load(sys.stdin)}))\n");
    server.script(
        "fail.py",
        "import sys\nsys.stdin.read()\nprint('bad input', file=sys.stderr)\nsys.exit(3)\n");
    server.script(
        "sleep.py", "import json,sys,time\ntime.sleep(json.load(sys.stdin)['s'])\nprint('{}')\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.reader().readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  @Test
  void refusesARequestWithoutAToken() {
    HttpResponse<String> response = server.get("/api/v1/executions", null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(json(response).get("type").asText()).endsWith("/unauthorized");
  }

  @Test
  void refusesAWrongToken() {
    HttpResponse<String> response = server.get("/api/v1/executions", "not-a-token");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain("not-a-token");
  }

  @Test
  void refusesAReadOnlyTokenStartingARun() {
    HttpResponse<String> response =
        server.post("/api/v1/executions", TestServer.READ, "{\"script\": \"echo.py\"}");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(json(response).get("type").asText()).endsWith("/forbidden");
  }

  @Test
  void answers201WithTheRecordOfASucceededRun() {
    HttpResponse<String> response =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"echo.py\", \"inputs\": {\"n\": 7}}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode record = json(response);
    assertThat(record.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.at("/output/got/n").asInt()).isEqualTo(7);
    assertThat(record.at("/requestedBy/name").asText()).isEqualTo("ci");
    assertThat(response.headers().firstValue("Location"))
        .hasValue("/api/v1/executions/" + record.get("id").asText());
  }

  @Test
  void answers201WithTheRecordOfAFailedRun() {
    HttpResponse<String> response =
        server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"fail.py\"}");

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode record = json(response);
    assertThat(record.get("status").asText()).isEqualTo("FAILED");
    assertThat(record.get("exitCode").asInt()).isEqualTo(3);
    assertThat(record.get("stderr").asText()).contains("bad input");
  }

  @Test
  void answers201WithTheRecordOfATimedOutRun() {
    HttpResponse<String> response =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"sleep.py\", \"inputs\": {\"s\": 30}, \"timeout\": \"500ms\"}");

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode record = json(response);
    assertThat(record.get("status").asText()).isEqualTo("TIMED_OUT");
    assertThat(record.get("timeoutMs").asLong()).isEqualTo(500);
  }

  @Test
  void refusesATraversalWith422NamingTheRecordedRun() {
    HttpResponse<String> response =
        server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"../outside.py\"}");

    assertThat(response.statusCode()).isEqualTo(422);
    JsonNode problem = json(response);
    assertThat(problem.get("type").asText()).endsWith("/rejected");
    assertThat(problem.get("status").asInt()).as("RFC 9457: the HTTP status").isEqualTo(422);
    assertThat(problem.get("runStatus").asText()).isEqualTo("REJECTED");
    String id = problem.get("executionId").asText();
    JsonNode recorded = json(server.get("/api/v1/executions/" + id, TestServer.READ));
    assertThat(recorded.get("status").asText()).isEqualTo("REJECTED");
  }

  @Test
  void refusesMalformedJsonWith400() {
    HttpResponse<String> response =
        server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"echo.py\",");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("type").asText()).endsWith("/malformed-request");
  }

  @Test
  void refusesFieldsThatWouldLoosenTheRun() {
    HttpResponse<String> response =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"echo.py\", \"env\": {\"PYTHONSTARTUP\": \"/tmp/x\"}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("detail").asText()).contains("'env'");
  }

  @Test
  void refusesATimeoutOverTheOperatorsMaximum() {
    HttpResponse<String> response =
        server.post(
            "/api/v1/executions", TestServer.RUN, "{\"script\": \"echo.py\", \"timeout\": \"1h\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("detail").asText()).contains("20s");
  }

  @Test
  void findsARunByItsShortId() {
    String id =
        json(server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"echo.py\"}"))
            .get("id")
            .asText();

    HttpResponse<String> response =
        server.get("/api/v1/executions/" + id.substring(0, 8), TestServer.READ);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(json(response).get("id").asText()).isEqualTo(id);
  }

  @Test
  void answersUnknownRoutesAndMethodsWithProblems() {
    HttpResponse<String> missing = server.get("/api/v1/nothing", TestServer.READ);
    HttpResponse<String> wrongMethod =
        server.send(server.request("/api/v1/health", TestServer.RUN).DELETE().build());

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("type").asText()).endsWith("/not-found");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(json(wrongMethod).get("type").asText()).endsWith("/method-not-allowed");
  }

  @Test
  void countsRunsByStatusInTheMetrics() {
    server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"echo.py\"}");

    HttpResponse<String> metrics = server.get("/api/v1/metrics", TestServer.READ);

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("stepguard_runs_total{status=\"SUCCEEDED\"}")
        .contains("stepguard_run_duration_seconds_bucket")
        .contains("stepguard_queue_depth")
        .contains("stepguard_runs_in_flight");
    assertThat(server.get("/api/v1/metrics", null).statusCode()).isEqualTo(401);
  }

  @Test
  void answersHealthzWithoutAToken() {
    HttpResponse<String> response = server.get("/healthz", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
  }
}
