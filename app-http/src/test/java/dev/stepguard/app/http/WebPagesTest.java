package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the pages show to a session: workflow runs with their steps (the failed one marked), the
 * history paged with the API's cursors and filtered as the API filters, escaped run data, and
 * problems as pages.
 */
class WebPagesTest {
  @TempDir static Path directory;
  private static TestServer server;
  private static WebClient browser;
  private static JsonNode workflowRun;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\n");
    server.script("ok.py", "import sys\nsys.stdin.read()\nprint('{\"n\": 1}')\n");
    server.script(
        "broken.py",
        "import sys\nsys.stdin.read()\nprint('<b>bold</b> & <i>broken</i>', file=sys.stderr)\n"
            + "sys.exit(3)\n");
    server.script("never.py", "print('{}')\n");
    server.script(
        "flows/two.yaml",
        "name: two\nsteps:\n  - id: fetch\n    script: ok.py\n"
            + "  - id: load\n    script: broken.py\n  - id: report\n    script: never.py\n");
    HttpResponse<String> started =
        server.post("/api/v1/workflow-runs", TestServer.RUN, "{\"workflow\": \"flows/two.yaml\"}");
    assertThat(started.statusCode()).as(started.body()).isIn(200, 201);
    workflowRun = json(started);
    for (int i = 0; i < 3; i++) {
      server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"ok.py\"}");
    }
    browser = WebClient.login(server, TestServer.READ);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void showsAWorkflowRunsStepsLinkedToTheirRunsWithTheFailedStepMarked() {
    String id = workflowRun.get("id").asText();
    JsonNode steps = workflowRun.get("steps");

    String page = browser.get("/workflow-runs/" + id).body();

    assertThat(workflowRun.get("status").asText()).isEqualTo("FAILED");
    assertThat(page).contains("FAILED").contains("fetch").contains("load");
    assertThat(page)
        .contains("href=\"/runs/" + steps.get(0).get("executionId").asText() + "\"")
        .contains("href=\"/runs/" + steps.get(1).get("executionId").asText() + "\"");
    assertThat(page).containsPattern("(?s)<li class=\"failed\">\\s*<a [^>]*>load</a>");
    assertThat(page).containsOnlyOnce("the step that stopped the run");
    assertThat(page).doesNotContain(">report<");
  }

  @Test
  void showsAStepsRunWithALinkToItsWorkflowRunAndItsStderrEscaped() {
    String id = workflowRun.get("steps").get(1).get("executionId").asText();

    String page = browser.get("/runs/" + id).body();

    assertThat(page).contains("href=\"/workflow-runs/" + workflowRun.get("id").asText() + "\"");
    assertThat(page)
        .contains("&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;broken&lt;/i&gt;")
        .doesNotContain("<b>bold</b>");
    assertThat(page).contains("Exit code").contains("<dd>3</dd>").contains("Workflow step");
  }

  @Test
  void filtersTheHistoryByWorkflowRunAsTheApiDoes() {
    String id = workflowRun.get("id").asText();

    String page = browser.get("/?workflowRun=" + id.substring(0, 8)).body();

    assertThat(page).contains("broken.py").contains("ok.py").doesNotContain("never.py");
    assertThat(rows(page)).isEqualTo(2);
  }

  @Test
  void pagesTheHistoryWithTheApisCursors() {
    String first = browser.get("/?limit=2").body();
    Matcher next =
        Pattern.compile("href=\"(/\\?[^\"]*cursor=[^\"]+)\" rel=\"next\"").matcher(first);
    assertThat(next.find()).as("a link to older runs").isTrue();

    String second = browser.get(next.group(1).replace("&amp;", "&")).body();

    assertThat(rows(first)).isEqualTo(2);
    assertThat(rows(second)).isEqualTo(2);
    assertThat(second).contains("Newest runs");
    assertThat(runIds(second)).doesNotContainAnyElementsOf(runIds(first));
  }

  @Test
  void chartsTheRunsPerStatusOfTheSelectedPeriod() {
    String page = browser.get("/?status=SUCCEEDED").body();

    assertThat(page)
        .contains("<svg class=\"statuses\"")
        .contains("<title>SUCCEEDED: 4</title>")
        .doesNotContain("<title>FAILED");
    assertThat(page).contains("<svg class=\"durations\"");
  }

  @Test
  void sendsARunLinkOfAWorkflowRunToItsPage() {
    String id = workflowRun.get("id").asText();

    HttpResponse<String> response = browser.get("/runs/" + id);

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/workflow-runs/" + id);
  }

  @Test
  void writesTimesInUtcForTheViewersZoneScriptToConvert() {
    String page = browser.get("/").body();

    assertThat(page)
        .containsPattern(
            "<time datetime=\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z\">"
                + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC</time>")
        .contains("<script src=\"/assets/web.js\" defer></script>");
  }

  @Test
  void answersABadFilterWithAPageNamingTheProblem() {
    HttpResponse<String> response = browser.get("/?status=NOPE");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(response.body()).contains("status must be one of");
  }

  @Test
  void showsBidirectionalAndInvisibleCharactersOfARunAsEscapes() {
    server.script("inv\u202egpj.py", "import sys\nsys.stdin.read()\nprint('{}')\n");
    String id =
        json(server.post(
                "/api/v1/executions",
                TestServer.RUN,
                "{\"script\": \"inv\\u202egpj.py\", \"inputs\": {\"k\": \"\\u202eabc\\u200b\"}}"))
            .get("id")
            .asText();

    String history = browser.get("/?script=inv*").body();
    String page = browser.get("/runs/" + id).body();

    assertThat(history).contains("inv\\u202egpj.py").doesNotContain("\u202e");
    assertThat(page)
        .contains("inv\\u202egpj.py", "\\u202eabc\\u200b")
        .doesNotContain("\u202e", "\u200b");
  }

  @Test
  void refusesAFilterWithABrokenEscapeOrAControlCharacterInsteadOfDroppingIt() throws IOException {
    for (String query :
        List.of("?status=REJECTED&script=%zz", "?status=%zz", "?script=ok.py%", "?status=%00")) {
      String answer =
          RawHttp.exchange(
              server.server.port(),
              "GET /"
                  + query
                  + " HTTP/1.1\r\nHost: localhost\r\nCookie: "
                  + WebAccess.COOKIE
                  + "="
                  + browser.cookie
                  + "\r\nConnection: close\r\n\r\n");

      assertThat(answer).as(query).startsWith("HTTP/1.1 400 ");
      assertThat(rows(answer)).as(query).isZero();
    }
  }

  @Test
  void answersAnUnknownRunWithANotFoundPage() {
    HttpResponse<String> response = browser.get("/runs/00000000-0000-4000-8000-000000000000");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("no run has the id");
  }

  private static int rows(String page) {
    return runIds(page).size();
  }

  private static java.util.List<String> runIds(String page) {
    Matcher matcher = Pattern.compile("<td><a href=\"/runs/([0-9a-f-]{36})\">").matcher(page);
    java.util.List<String> ids = new java.util.ArrayList<>();
    while (matcher.find()) {
      ids.add(matcher.group(1));
    }
    return ids;
  }
}
