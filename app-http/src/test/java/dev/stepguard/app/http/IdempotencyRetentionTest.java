package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.IdempotencyKey;
import dev.stepguard.core.model.TokenScope;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotency-Keys are kept 24 hours: at its start the server forgets older ones, so the key may be
 * sent again for a new run, and keeps the younger ones.
 */
class IdempotencyRetentionTest {
  @TempDir Path directory;

  @Test
  void aKeyOlderThanTheRetentionIsForgottenAtStartAndAYoungerOneIsKept() throws Exception {
    Path project = Files.createDirectories(directory.resolve("project"));
    Files.writeString(project.resolve("ok.py"), "import sys\nsys.stdin.read()\nprint('{}')\n");
    Path operator = Files.writeString(directory.resolve("operator.yaml"), "isolation: process\n");
    Instant now = Instant.now();
    RunningServer running =
        ServerMain.start(
            new String[] {"--project", project.toString(), "--port", "0"},
            RuntimeModuleFactory.production(),
            Map.of("STEPGUARD_CONFIG", operator.toString()),
            directory,
            runtime -> {
              runtime
                  .tokens()
                  .add(
                      new ApiToken("ci", TokenScope.RUN, ApiTokens.sha256Hex(TestServer.RUN), now));
              for (String[] key :
                  List.of(new String[] {"old", "PT25H"}, new String[] {"young", "PT23H"})) {
                runtime
                    .idempotencyKeys()
                    .claim(
                        new IdempotencyKey(
                            key[0],
                            "ci",
                            "executions",
                            "0".repeat(64),
                            "00000000-0000-0000-0000-00000000000" + key[0].length(),
                            now.minus(Duration.parse(key[1]))));
              }
              return ProductionTokens.authenticator(runtime);
            });
    try (TestServer server = TestServer.around(project, running)) {
      HttpResponse<String> old =
          server.post(
              "/api/v1/executions",
              TestServer.RUN,
              "{\"script\": \"ok.py\"}",
              "Idempotency-Key",
              "old");
      HttpResponse<String> young =
          server.post(
              "/api/v1/executions",
              TestServer.RUN,
              "{\"script\": \"ok.py\"}",
              "Idempotency-Key",
              "young");

      assertThat(old.statusCode()).isEqualTo(201);
      assertThat(json(old).get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(young.statusCode()).isEqualTo(422);
      assertThat(json(young).get("type").asText()).endsWith("/idempotency-key-reused");
    }
  }

  @Test
  void aKeyWhoseServerDiedBeforeRecordingItsRunStartsANewRunOnceOrphanedNotBefore()
      throws Exception {
    Path project = Files.createDirectories(directory.resolve("project"));
    Files.writeString(project.resolve("ok.py"), "import sys\nsys.stdin.read()\nprint('{}')\n");
    Path operator = Files.writeString(directory.resolve("operator.yaml"), "isolation: process\n");
    Instant now = Instant.now();
    String hash =
        Idempotency.bodyHash(
            dev.stepguard.core.model.Json.reader().readTree("{\"script\": \"ok.py\"}"));
    RunningServer running =
        ServerMain.start(
            new String[] {"--project", project.toString(), "--port", "0"},
            RuntimeModuleFactory.production(),
            Map.of("STEPGUARD_CONFIG", operator.toString()),
            directory,
            runtime -> {
              runtime
                  .tokens()
                  .add(
                      new ApiToken("ci", TokenScope.RUN, ApiTokens.sha256Hex(TestServer.RUN), now));
              // Claimed, and the server died before it recorded the run: no record for either.
              runtime
                  .idempotencyKeys()
                  .claim(
                      new IdempotencyKey(
                          "orphaned",
                          "ci",
                          "executions",
                          hash,
                          "00000000-0000-0000-0000-000000000001",
                          now.minus(Duration.ofMinutes(2))));
              runtime
                  .idempotencyKeys()
                  .claim(
                      new IdempotencyKey(
                          "just-claimed",
                          "ci",
                          "executions",
                          hash,
                          "00000000-0000-0000-0000-000000000002",
                          now));
              return ProductionTokens.authenticator(runtime);
            });
    try (TestServer server = TestServer.around(project, running)) {
      HttpResponse<String> orphaned =
          server.post(
              "/api/v1/executions",
              TestServer.RUN,
              "{\"script\": \"ok.py\"}",
              "Idempotency-Key",
              "orphaned");
      HttpResponse<String> again =
          server.post(
              "/api/v1/executions",
              TestServer.RUN,
              "{\"script\": \"ok.py\"}",
              "Idempotency-Key",
              "orphaned");
      HttpResponse<String> young =
          server.post(
              "/api/v1/executions",
              TestServer.RUN,
              "{\"script\": \"ok.py\"}",
              "Idempotency-Key",
              "just-claimed");

      assertThat(orphaned.statusCode()).as(orphaned.body()).isEqualTo(201);
      assertThat(json(orphaned).get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(json(again).get("id").asText()).isEqualTo(json(orphaned).get("id").asText());
      // A claim of a moment ago may be a run being recorded now: it is answered, not taken over.
      assertThat(json(young).get("id").asText()).isEqualTo("00000000-0000-0000-0000-000000000002");
      assertThat(json(young).get("status").asText()).isEqualTo("RUNNING");
    }
  }
}
