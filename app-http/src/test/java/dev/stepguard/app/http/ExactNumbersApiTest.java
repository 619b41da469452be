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

/**
 * Numbers in a request's inputs reach the script and the record exactly as written: no rounding to
 * a double, no {@code Infinity}, big integers whole; a number too long to be a value is a 400.
 */
class ExactNumbersApiTest {
  @TempDir static Path directory;
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.withArgs(directory);
    server.script(
        "echo.py",
        "import json,sys\nraw = sys.stdin.read()\nprint(json.dumps({'raw': raw,"
            + " 'n': repr(json.loads(raw)['n'])}))\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void theScriptAndTheRecordSeeEveryNumberAsWritten() {
    String inputs =
        "{\"n\": 1e999999999, \"big\": 123456789012345678901234567890123,"
            + " \"precise\": 0.1000000000000000055511151231257827, \"scale\": 1.50}";

    HttpResponse<String> response =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"echo.py\", \"inputs\": " + inputs + "}");

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode record = json(response);
    String raw = record.at("/output/raw").asText();
    assertThat(raw)
        .contains(
            "1E+999999999",
            "123456789012345678901234567890123",
            "0.1000000000000000055511151231257827",
            "1.50")
        .doesNotContain("Infinity");
    assertThat(record.at("/output/n").asText()).isEqualTo("inf");
    String stored =
        server.get("/api/v1/executions/" + record.get("id").asText(), TestServer.READ).body();
    assertThat(stored)
        .contains(
            "\"n\":1E+999999999",
            "\"big\":123456789012345678901234567890123",
            "\"precise\":0.1000000000000000055511151231257827",
            "\"scale\":1.50")
        .doesNotContain("Infinity");
  }

  @Test
  void aNumberLongerThanTheCapIsRefusedInPlainWords() {
    String digits = "7".repeat(1001);

    HttpResponse<String> response =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"echo.py\", \"inputs\": {\"n\": " + digits + "}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("detail").asText())
        .contains("a number longer than 1000 characters")
        .doesNotContain("777");
  }
}
