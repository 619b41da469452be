package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancelling a workflow run over HTTP: by its own id, or by the id of its running step. */
class WorkflowCancelApiTest {
  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\n");
    server.script(
        "wait.py",
        "import json,sys,time\nname=json.load(sys.stdin)['name']\n"
            + "open(name+'.started','w').write('x')\ntime.sleep(60)\nprint('{}')\n");
    server.script(
        "mark.py",
        "import json,sys\nname=json.load(sys.stdin)['name']\nopen(name,'w').write('ran')\n"
            + "print('{}')\n");
    server.script(
        "flows/slow.yaml",
        "name: slow\ninputs: [name]\nsteps:\n"
            + "  - id: wait\n    script: wait.py\n    inputs: {name: \"${inputs.name}\"}\n"
            + "  - id: after\n    script: mark.py\n    inputs: {name: \"${inputs.name}.after\"}\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Starts the slow workflow and waits until its first step's script runs. */
  private static String startSlow(String name) throws InterruptedException {
    HttpResponse<String> accepted =
        server.post(
            "/api/v1/workflow-runs",
            TestServer.RUN,
            "{\"workflow\": \"flows/slow.yaml\", \"inputs\": {\"name\": \"" + name + "\"}}",
            "Prefer",
            "respond-async");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    Path started = server.project.resolve(name + ".started");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (!Files.exists(started) && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertThat(started).exists();
    return json(accepted).get("id").asText();
  }

  private static JsonNode ended(String id) throws InterruptedException {
    String path = "/api/v1/workflow-runs/" + id;
    JsonNode run = json(server.get(path, TestServer.READ));
    Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
    while (run.get("status").asText().equals("RUNNING") && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
      run = json(server.get(path, TestServer.READ));
    }
    return run;
  }

  private static String runningStep(String workflowRun) {
    JsonNode page =
        json(
            server.get(
                "/api/v1/executions?workflowRun=" + workflowRun + "&status=RUNNING",
                TestServer.READ));
    assertThat(page.get("items")).hasSize(1);
    return page.get("items").get(0).get("id").asText();
  }

  private static void assertCancelledByCiAtTheFirstStep(JsonNode run, String name)
      throws IOException {
    assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(run.get("failedStep").asText()).isEqualTo("wait");
    assertThat(run.get("steps")).hasSize(1);
    JsonNode step =
        json(
            server.get(
                "/api/v1/executions/" + run.at("/steps/0/executionId").asText(), TestServer.READ));
    assertThat(step.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(step.at("/cancelledBy/requester/channel").asText()).isEqualTo("http");
    assertThat(step.at("/cancelledBy/requester/name").asText()).isEqualTo("ci");
    assertThat(server.project.resolve(name + ".after")).doesNotExist();
  }

  @Test
  void cancellingAWorkflowRunEndsItsRunningStepCancelledAndStartsNoOther() throws Exception {
    String id = startSlow("whole");

    HttpResponse<String> cancel =
        server.post("/api/v1/workflow-runs/" + id + "/cancel", TestServer.RUN, "");

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(json(cancel).get("requestedBy").asText()).isEqualTo("ci");
    assertCancelledByCiAtTheFirstStep(ended(id), "whole");
    HttpResponse<String> again =
        server.post("/api/v1/workflow-runs/" + id + "/cancel", TestServer.RUN, "");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).get("runStatus").asText()).isEqualTo("CANCELLED");
  }

  @Test
  void cancellingTheRunningStepOfAWorkflowRunCancelsThatWorkflowRun() throws Exception {
    String id = startSlow("step");
    String step = runningStep(id);

    HttpResponse<String> cancel =
        server.post("/api/v1/executions/" + step + "/cancel", TestServer.RUN, "");

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(json(cancel).get("workflowRunId").asText()).isEqualTo(id);
    assertCancelledByCiAtTheFirstStep(ended(id), "step");
  }

  @Test
  void refusesAReadOnlyTokenAndAnswers404ForAnUnknownWorkflowRun() throws Exception {
    String id = startSlow("guarded");
    try {
      assertThat(
              server
                  .post("/api/v1/workflow-runs/" + id + "/cancel", TestServer.READ, "")
                  .statusCode())
          .isEqualTo(403);
      assertThat(
              json(server.get("/api/v1/workflow-runs/" + id, TestServer.READ))
                  .get("status")
                  .asText())
          .isEqualTo("RUNNING");
      assertThat(
              server
                  .post(
                      "/api/v1/workflow-runs/" + UUID.randomUUID() + "/cancel", TestServer.RUN, "")
                  .statusCode())
          .isEqualTo(404);
    } finally {
      server.post("/api/v1/workflow-runs/" + id + "/cancel", TestServer.RUN, "");
      ended(id);
    }
  }
}
