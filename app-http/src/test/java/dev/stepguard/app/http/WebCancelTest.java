package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancelling a run from its page: only a session of a {@code run} token, only with the session's
 * CSRF token, only from the server's own origin; a refused request leaves the run running.
 */
class WebCancelTest {
  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\nmaxTimeout: 60s\n");
    server.script("slow.py", "import sys,time\nsys.stdin.read()\ntime.sleep(50)\nprint('{}')\n");
    server.script(
        "flows/slow.yaml",
        "name: slow\nsteps:\n  - id: wait\n    script: slow.py\n    timeout: 55s\n"
            + "  - id: after\n    script: slow.py\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static String startSlow() {
    HttpResponse<String> accepted =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"slow.py\", \"timeout\": \"55s\"}",
            "Prefer",
            "respond-async");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    return json(accepted).get("id").asText();
  }

  private static String status(String id) {
    return json(server.get("/api/v1/executions/" + id, TestServer.READ)).get("status").asText();
  }

  private static String ended(String id) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      String status = status(id);
      if (!status.equals("RUNNING")) {
        return status;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("run " + id + " did not end");
  }

  @Test
  void refusesACancelWithoutTheSessionsCsrfTokenOrFromAnotherSite() throws InterruptedException {
    String id = startSlow();
    WebClient browser = WebClient.login(server, TestServer.RUN);
    String csrf = browser.csrf();
    String path = "/runs/" + id + "/cancel";

    HttpResponse<String> noToken = browser.post(path, "");
    HttpResponse<String> wrongToken = browser.post(path, "csrf=" + csrf + "x");
    HttpResponse<String> foreignOrigin =
        browser.post(path, "csrf=" + csrf, "Origin", "https://attacker.example");
    HttpResponse<String> crossSite =
        browser.post(path, "csrf=" + csrf, "Sec-Fetch-Site", "cross-site");
    HttpResponse<String> opaqueOrigin = browser.post(path, "csrf=" + csrf, "Origin", "null");

    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(foreignOrigin.statusCode()).isEqualTo(403);
    assertThat(crossSite.statusCode()).isEqualTo(403);
    assertThat(opaqueOrigin.statusCode()).as("Origin: null without Sec-Fetch-Site").isEqualTo(403);
    assertThat(status(id)).isEqualTo("RUNNING");

    HttpResponse<String> cancel = browser.post(path, "csrf=" + csrf);

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(303);
    assertThat(cancel.headers().firstValue("Location")).hasValue("/runs/" + id);
    assertThat(ended(id)).isEqualTo("CANCELLED");
    assertThat(browser.get("/runs/" + id).body()).contains("CANCELLED").contains("token ci");
  }

  @Test
  void cancelsARunningWorkflowRunFromItsPageWithTheSessionsCsrfTokenOnly()
      throws InterruptedException {
    HttpResponse<String> accepted =
        server.post(
            "/api/v1/workflow-runs",
            TestServer.RUN,
            "{\"workflow\": \"flows/slow.yaml\"}",
            "Prefer",
            "respond-async");
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = json(accepted).get("id").asText();
    WebClient browser = WebClient.login(server, TestServer.RUN);
    String path = "/workflow-runs/" + id + "/cancel";

    String page = browser.get("/workflow-runs/" + id).body();
    for (int i = 0; i < 100 && !page.contains(">wait</a>"); i++) {
      Thread.sleep(100); // the first step's run starts just after the 202
      page = browser.get("/workflow-runs/" + id).body();
    }
    HttpResponse<String> forged = browser.post(path, "csrf=forged");
    HttpResponse<String> cancel = browser.post(path, "csrf=" + browser.csrf());

    assertThat(page).contains("Cancel this workflow run");
    assertThat(page)
        .as("the running step, linked")
        .containsPattern("href=\"/runs/[0-9a-f-]{36}\"[^>]*>wait</a>");
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(303);
    String status = "RUNNING";
    for (int i = 0; i < 300 && status.equals("RUNNING"); i++) {
      Thread.sleep(100);
      status =
          json(server.get("/api/v1/workflow-runs/" + id, TestServer.READ)).get("status").asText();
    }
    assertThat(status).isEqualTo("CANCELLED");
    assertThat(browser.get("/workflow-runs/" + id).body())
        .contains("CANCELLED")
        .doesNotContain("Cancel this workflow run");
  }

  @Test
  void refusesACancelFromAnotherSessionsCsrfToken() {
    String id = startSlow();
    WebClient mine = WebClient.login(server, TestServer.RUN);
    WebClient other = WebClient.login(server, TestServer.RUN);

    HttpResponse<String> response = mine.post("/runs/" + id + "/cancel", "csrf=" + other.csrf());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(status(id)).isEqualTo("RUNNING");
    server.post("/api/v1/executions/" + id + "/cancel", TestServer.RUN, "");
  }

  @Test
  void showsAReadOnlyTokenNoCancelButtonAndRefusesItsCancel() {
    String id = startSlow();
    WebClient runner = WebClient.login(server, TestServer.RUN);
    WebClient auditor = WebClient.login(server, TestServer.READ);

    String runnersPage = runner.get("/runs/" + id).body();
    String auditorsPage = auditor.get("/runs/" + id).body();
    HttpResponse<String> response =
        auditor.post("/runs/" + id + "/cancel", "csrf=" + auditor.csrf());

    assertThat(runnersPage).contains("Cancel this run").contains("http-equiv=\"refresh\"");
    assertThat(auditorsPage).contains("RUNNING").doesNotContain("Cancel this run");
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("read-only");
    assertThat(status(id)).isEqualTo("RUNNING");
    server.post("/api/v1/executions/" + id + "/cancel", TestServer.RUN, "");
  }

  @Test
  void refusesACancelWithoutASession() {
    String id = startSlow();

    HttpResponse<String> response = WebClient.post(server, null, "/runs/" + id + "/cancel", "");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(status(id)).isEqualTo("RUNNING");
    server.post("/api/v1/executions/" + id + "/cancel", TestServer.RUN, "");
  }
}
