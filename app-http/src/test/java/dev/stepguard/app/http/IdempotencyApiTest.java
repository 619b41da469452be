package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same Idempotency-Key twice gets one run; with another body it is refused. */
class IdempotencyApiTest {
  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\n");
    server.script(
        "count.py",
        "import json,sys,os\nsys.stdin.read()\nopen('runs.txt','a').write('x')\n"
            + "print(json.dumps({'runs': len(open('runs.txt').read())}))\n");
    server.script(
        "slow.py", "import json,sys,time\nsys.stdin.read()\ntime.sleep(1)\nprint('{}')\n");
    server.script(
        "flow.yaml", "name: one\nsteps:\n  - id: a\n    script: slow.py\n    inputs: {}\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theSameKeyAndBodyTwiceRunsOnceAndAnswersTheFirstRun() {
    String body = "{\"script\": \"count.py\", \"inputs\": {\"order\": 17}}";

    HttpResponse<String> first =
        server.post("/api/v1/executions", TestServer.RUN, body, "Idempotency-Key", "order-17");
    HttpResponse<String> again =
        server.post("/api/v1/executions", TestServer.RUN, body, "Idempotency-Key", "order-17");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("id").asText()).isEqualTo(json(first).get("id").asText());
    assertThat(json(again).at("/output/runs").asInt())
        .isEqualTo(json(first).at("/output/runs").asInt());
    JsonNode runs = json(server.get("/api/v1/executions?script=count.py", TestServer.READ));
    assertThat(runs.get("items")).hasSize(1);
  }

  @Test
  void theSameKeyWithAnotherBodyIs422() {
    server.post(
        "/api/v1/executions",
        TestServer.RUN,
        "{\"script\": \"slow.py\", \"inputs\": {\"a\": 1}}",
        "Idempotency-Key",
        "k-2");

    HttpResponse<String> other =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"slow.py\", \"inputs\": {\"a\": 2}}",
            "Idempotency-Key",
            "k-2");

    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(json(other).get("type").asText()).endsWith("/idempotency-key-reused");
  }

  @Test
  void aRetryWhileTheFirstRunGoesOnWaitsForThatRun() {
    String body = "{\"script\": \"slow.py\", \"inputs\": {\"retry\": true}}";
    HttpResponse<String> accepted =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            body,
            "Idempotency-Key",
            "k-3",
            "Prefer",
            "respond-async");

    HttpResponse<String> retried =
        server.post("/api/v1/executions", TestServer.RUN, body, "Idempotency-Key", "k-3");

    assertThat(accepted.statusCode()).isEqualTo(202);
    assertThat(retried.statusCode()).isEqualTo(200);
    assertThat(json(retried).get("id").asText()).isEqualTo(json(accepted).get("id").asText());
    assertThat(json(retried).get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void aWorkflowRunIsStartedOncePerKey() {
    String body = "{\"workflow\": \"flow.yaml\"}";

    HttpResponse<String> first =
        server.post("/api/v1/workflow-runs", TestServer.RUN, body, "Idempotency-Key", "wf-1");
    HttpResponse<String> again =
        server.post("/api/v1/workflow-runs", TestServer.RUN, body, "Idempotency-Key", "wf-1");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).get("id").asText()).isEqualTo(json(first).get("id").asText());
  }

  @Test
  void theSameBodyWithKeysInAnotherOrderAndOtherSpacingIsTheSameRequest() {
    HttpResponse<String> first =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"count.py\", \"inputs\": {\"a\": 1, \"b\": {\"x\": [1, 2], \"y\": 1e2}}}",
            "Idempotency-Key",
            "order-free");
    HttpResponse<String> reordered =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{ \"inputs\" : {\"b\":{\"y\":1E+2,\"x\":[1,2]},\"a\":1},\n\t\"script\":\"count.py\" }",
            "Idempotency-Key",
            "order-free");

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(reordered.statusCode()).isEqualTo(200);
    assertThat(json(reordered).get("id").asText()).isEqualTo(json(first).get("id").asText());
  }

  @Test
  void anotherArrayOrderOrANumberWrittenOtherwiseIsAnotherRequest() {
    server.post(
        "/api/v1/executions",
        TestServer.RUN,
        "{\"script\": \"count.py\", \"inputs\": {\"x\": [1, 2], \"n\": 1.5}}",
        "Idempotency-Key",
        "exact");

    HttpResponse<String> arrayOrder =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"count.py\", \"inputs\": {\"x\": [2, 1], \"n\": 1.5}}",
            "Idempotency-Key",
            "exact");
    HttpResponse<String> scale =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"count.py\", \"inputs\": {\"x\": [1, 2], \"n\": 1.50}}",
            "Idempotency-Key",
            "exact");

    assertThat(arrayOrder.statusCode()).isEqualTo(422);
    assertThat(scale.statusCode()).isEqualTo(422);
  }
}
