package dev.stepguard.app.http;

import static dev.stepguard.app.http.EventStreamsApiTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every answer of the server that is an error is an RFC 9457 problem document, Jetty's own ones
 * included (requests it cannot parse), and a handler's 404 keeps its own words.
 */
class ProblemDocumentsApiTest {
  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\n");
    server.script("echo.py", "import json,sys\nprint(json.dumps(json.load(sys.stdin)))\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Sends raw text; asserts the answer is a problem document of {@code status}, and gives it. */
  private static JsonNode problem(String request, int status) throws IOException {
    String answer = RawHttp.exchange(server.server.port(), request);

    assertThat(answer).as("an answer").isNotNull().startsWith("HTTP/1.1 " + status + " ");
    String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
    assertThat(head).contains("content-type: application/problem+json");
    JsonNode problem = parse(RawHttp.body(answer));
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("type").asText()).isNotBlank();
    assertThat(problem.get("title").asText()).isNotBlank();
    assertThat(problem.get("detail").asText()).isNotBlank();
    return problem;
  }

  @Test
  void aRequestLineJettyCannotParseIsAProblemDocument() throws IOException {
    JsonNode problem = problem("GARBAGE\r\n\r\n", 400);

    assertThat(problem.get("type").asText()).endsWith("/malformed-request");
  }

  @Test
  void aUriTooLongIsAProblemDocument() throws IOException {
    String path = "/api/v1/executions/" + "a".repeat(20_000);

    JsonNode problem = problem("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 414);

    assertThat(problem.get("type").asText()).endsWith("/uri-too-long");
  }

  @Test
  void headersTooLargeAreAProblemDocument() throws IOException {
    String big = "X-Big: " + "b".repeat(20_000) + "\r\n";

    JsonNode problem = problem("GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + big + "\r\n", 431);

    assertThat(problem.get("type").asText()).endsWith("/headers-too-large");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET /healthz HTTP/1.1\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: bad host\r\n\r\n",
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n",
        "POST /api/v1/executions HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
            + "Content-Length: 6\r\n\r\n{}{}{}",
        "POST /api/v1/executions HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\n\r\n",
      })
  void requestsWithBadHeadersAreProblemDocuments(String request) throws IOException {
    problem(request, 400);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/executions/a%2Fb",
        "/api/v1/executions/%2e%2e/x",
        "/api/v1/..;/healthz",
        "/api/v1/executions/a%00b",
        "/%ZZ",
      })
  void oddPathsAreProblemDocuments(String path) throws IOException {
    String answer =
        RawHttp.exchange(
            server.server.port(),
            "GET "
                + path
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestServer.READ
                + "\r\nConnection: close\r\n\r\n");

    assertThat(answer).as(path).isNotNull().matches("(?s)HTTP/1\\.1 4\\d\\d .*");
    int status = Integer.parseInt(answer.substring(9, 12));
    assertThat(answer.toLowerCase()).as(path).contains("content-type: application/problem+json");
    assertThat(parse(RawHttp.body(answer)).get("status").asInt()).isEqualTo(status);
  }

  @Test
  void anUnknownTransferCodingIsAProblemDocument() throws IOException {
    String answer =
        RawHttp.exchange(
            server.server.port(),
            "POST /api/v1/executions HTTP/1.1\r\nHost: localhost\r\n"
                + "Transfer-Encoding: gzip\r\n\r\n");

    assertThat(answer).matches("(?s)HTTP/1\\.1 (400|501) .*");
    assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
  }

  @Test
  void anUnsupportedHttpVersionIsAProblemDocument() throws IOException {
    String answer =
        RawHttp.exchange(server.server.port(), "GET /healthz HTTP/7.0\r\nHost: localhost\r\n\r\n");

    assertThat(answer).matches("(?s)HTTP/1\\.1 (400|505) .*");
    assertThat(answer.toLowerCase()).contains("content-type: application/problem+json");
  }

  @Test
  void aBadlyEncodedQueryIsAProblemDocument() throws IOException {
    problem(
        "GET /api/v1/executions?status=%zz HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + TestServer.READ
            + "\r\nConnection: close\r\n\r\n",
        400);
  }

  @Test
  void anUnknownRunKeepsItsOwnNotFoundWords() {
    HttpResponse<String> response =
        server.get("/api/v1/executions/0123abcdunknown", TestServer.READ);

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode problem = ExecutionsApiTest.json(response);
    assertThat(problem.get("type").asText()).endsWith("/not-found");
    assertThat(problem.get("detail").asText()).contains("0123abcdunknown").doesNotContain("route");
  }

  @Test
  void aPathNoRouteTakesIsANotFoundProblem() {
    HttpResponse<String> response = server.get("/api/v1/nothing-here", TestServer.READ);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(ExecutionsApiTest.json(response).get("detail").asText()).contains("route");
  }

  @Test
  void aBodyNestedTooDeepSaysSoInPlainWords() {
    String deep = "{\"a\":".repeat(300) + "1" + "}".repeat(300);

    HttpResponse<String> response =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"echo.py\", \"inputs\": " + deep + "}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(ExecutionsApiTest.json(response).get("detail").asText())
        .contains("nested deeper than")
        .contains("levels")
        .doesNotContain("StreamReadConstraints")
        .doesNotContain("getMaxNestingDepth");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/jsonx",
        "application/json-patch+json",
        "application/json+evil",
        "application/json; charset=latin1",
        "application/json; charset=utf-16",
        "application/json; boundary=x",
        "application/json;",
        "text/plain",
        "application/x-www-form-urlencoded",
      })
  void refusesWith415ABodyThatIsNotExactlyJson(String contentType) {
    HttpResponse<String> response =
        server.send(
            server
                .request("/api/v1/executions", TestServer.RUN)
                .header("Content-Type", contentType)
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString("{\"script\": \"echo.py\"}"))
                .build());

    assertThat(response.statusCode()).as(contentType).isEqualTo(415);
    assertThat(ExecutionsApiTest.json(response).get("type").asText())
        .endsWith("/unsupported-media-type");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "application/json",
        "Application/JSON",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8",
        "application/json; charset=\"utf-8\"",
      })
  void takesJsonWithOrWithoutTheUtf8Charset(String contentType) {
    HttpResponse<String> response =
        server.send(
            server
                .request("/api/v1/executions", TestServer.RUN)
                .header("Content-Type", contentType)
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString("{\"script\": \"echo.py\"}"))
                .build());

    assertThat(response.statusCode()).as(contentType + ": " + response.body()).isEqualTo(201);
  }
}
