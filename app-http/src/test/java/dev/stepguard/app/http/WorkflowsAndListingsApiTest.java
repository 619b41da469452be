package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workflow runs over HTTP, and the listings with the command line's filters and cursors. */
class WorkflowsAndListingsApiTest {
  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\n");
    server.script(
        "double.py",
        "import json,sys\nn=json.load(sys.stdin)['n']\nprint(json.dumps({'n': n*2}))\n");
    server.script("boom.py", "import sys\nsys.stdin.read()\nsys.exit(2)\n");
    server.script(
        "flows/twice.yaml",
        "name: twice\ninputs: [n]\nsteps:\n"
            + "  - id: first\n    script: double.py\n    inputs: { n: \"${inputs.n}\" }\n"
            + "  - id: second\n    script: double.py\n    inputs: { n: \"${steps.first.output.n}\" }\n");
    server.script(
        "flows/missing.yaml",
        "name: missing\ninputs: [n]\nsteps:\n"
            + "  - id: first\n    script: double.py\n    inputs: { n: \"${inputs.n}\" }\n"
            + "  - id: second\n    script: double.py\n"
            + "    inputs: { n: \"${steps.first.output.nope}\" }\n");
    server.script(
        "flows/breaks.yaml",
        "name: breaks\nsteps:\n  - id: one\n    script: boom.py\n    inputs: {}\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void runsAWorkflowAndAnswersItsRecord() {
    HttpResponse<String> response =
        server.post(
            "/api/v1/workflow-runs",
            TestServer.RUN,
            "{\"workflow\": \"flows/twice.yaml\", \"inputs\": {\"n\": 3}}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    JsonNode run = json(response);
    assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.at("/output/n").asInt()).isEqualTo(12);
    assertThat(run.get("steps")).hasSize(2);
    String id = run.get("id").asText();
    JsonNode shown =
        json(server.get("/api/v1/workflow-runs/" + id.substring(0, 8), TestServer.READ));
    assertThat(shown.get("id").asText()).isEqualTo(id);
    JsonNode steps =
        json(server.get("/api/v1/executions?workflowRun=" + id.substring(0, 8), TestServer.READ));
    assertThat(steps.get("items")).hasSize(2);
  }

  @Test
  void answersAFailedWorkflowRunWith201AndTheStepThatStoppedIt() {
    HttpResponse<String> response =
        server.post(
            "/api/v1/workflow-runs", TestServer.RUN, "{\"workflow\": \"flows/breaks.yaml\"}");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(json(response).get("status").asText()).isEqualTo("FAILED");
    assertThat(json(response).get("failedStep").asText()).isEqualTo("one");
  }

  @Test
  void answersAWorkflowRunStoppedAtARefusedStepWith422NamingTheWorkflowRunWhoseFirstStepRan() {
    HttpResponse<String> response =
        server.post(
            "/api/v1/workflow-runs",
            TestServer.RUN,
            "{\"workflow\": \"flows/missing.yaml\", \"inputs\": {\"n\": 3}}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    JsonNode problem = json(response);
    assertThat(problem.get("type").asText()).endsWith("/rejected");
    assertThat(problem.get("title").asText()).contains("a step of the workflow run");
    assertThat(problem.get("detail").asText()).contains("second", "nope");
    assertThat(problem.has("executionId")).isFalse();
    String id = problem.get("workflowRunId").asText();
    JsonNode run = json(server.get("/api/v1/workflow-runs/" + id, TestServer.READ));
    assertThat(run.get("status").asText()).isEqualTo("REJECTED");
    assertThat(run.get("failedStep").asText()).isEqualTo("second");
    assertThat(run.get("steps"))
        .extracting(step -> step.get("status").asText())
        .containsExactly("SUCCEEDED", "REJECTED");
  }

  @Test
  void refusesAWorkflowFileOutsideTheProject() {
    HttpResponse<String> response =
        server.post(
            "/api/v1/workflow-runs", TestServer.RUN, "{\"workflow\": \"../operator.yaml\"}");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(json(response).get("type").asText()).endsWith("/invalid-workflow");
  }

  @Test
  void listsWorkflowRunsByStatus() {
    server.post("/api/v1/workflow-runs", TestServer.RUN, "{\"workflow\": \"flows/breaks.yaml\"}");

    JsonNode page =
        json(server.get("/api/v1/workflow-runs?status=FAILED&limit=5", TestServer.READ));

    assertThat(page.get("items")).isNotEmpty();
    page.get("items").forEach(run -> assertThat(run.get("status").asText()).isEqualTo("FAILED"));
  }

  @Test
  void listsWorkflowRunSummariesWithoutInputsOutputsOrSteps() {
    server.post(
        "/api/v1/workflow-runs",
        TestServer.RUN,
        "{\"workflow\": \"flows/twice.yaml\", \"inputs\": {\"n\": 21}}");
    server.post("/api/v1/workflow-runs", TestServer.RUN, "{\"workflow\": \"flows/breaks.yaml\"}");

    JsonNode page = json(server.get("/api/v1/workflow-runs?limit=2", TestServer.READ));

    JsonNode failed = page.get("items").get(0);
    assertThat(failed.get("workflow").asText()).isEqualTo("flows/breaks.yaml");
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("failedStep").asText()).isEqualTo("one");
    assertThat(failed.at("/error/message").asText()).contains("boom.py");
    assertThat(failed.get("stepCount").asInt()).isEqualTo(1);
    JsonNode succeeded = page.get("items").get(1);
    assertThat(succeeded.get("name").asText()).isEqualTo("twice");
    assertThat(succeeded.get("stepCount").asInt()).isEqualTo(2);
    assertThat(succeeded.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);
    assertThat(succeeded.has("finishedAt")).isTrue();
    for (JsonNode item : page.get("items")) {
      assertThat(item.has("inputs") || item.has("output") || item.has("steps")).isFalse();
    }
    String id = succeeded.get("id").asText();
    JsonNode whole = json(server.get("/api/v1/workflow-runs/" + id, TestServer.READ));
    assertThat(whole.at("/inputs/n").asInt()).isEqualTo(21);
    assertThat(whole.get("steps")).hasSize(2);
  }

  @Test
  void pagesThroughRunsWithTheCursorAndFiltersThem() {
    for (int i = 0; i < 5; i++) {
      server.post(
          "/api/v1/executions",
          TestServer.RUN,
          "{\"script\": \"double.py\", \"inputs\": {\"n\": 1}}");
    }
    server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"boom.py\"}");

    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      HttpResponse<String> response =
          server.get(
              "/api/v1/executions?script=double*&status=SUCCEEDED&limit=2"
                  + (cursor == null ? "" : "&cursor=" + cursor),
              TestServer.READ);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode page = json(response);
      for (JsonNode item : page.get("items")) {
        assertThat(item.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(item.has("inputs")).isFalse();
        assertThat(item.has("output")).isFalse();
        assertThat(item.has("stderr")).isFalse();
        ids.add(item.get("id").asText());
      }
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);

    assertThat(ids).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(5);
    JsonNode failed =
        json(server.get("/api/v1/executions?status=FAILED&since=1h", TestServer.READ));
    assertThat(failed.get("items")).isNotEmpty();
    assertThat(server.get("/api/v1/executions?status=NOPE", TestServer.READ).statusCode())
        .isEqualTo(400);
    assertThat(server.get("/api/v1/executions?cursor=garbage!", TestServer.READ).statusCode())
        .isEqualTo(400);
  }
}
