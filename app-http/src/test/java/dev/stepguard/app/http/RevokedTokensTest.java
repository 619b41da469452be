package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.stepguard.composition.DefaultToken;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.TokenScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A revoked token is refused, and a project whose every token is revoked gets no new default token
 * (its label was used): the server says so in its log instead.
 */
class RevokedTokensTest {
  @TempDir Path directory;

  @Test
  void aRevokedTokenIs401AndWhenAllAreRevokedTheServerWarnsAndMakesNoDefault() throws Exception {
    Path project = Files.createDirectories(directory.resolve("project"));
    Path operator = Files.writeString(directory.resolve("operator.yaml"), "isolation: process\n");
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    RunningServer running;
    try {
      running =
          ServerMain.start(
              new String[] {"--project", project.toString(), "--port", "0"},
              RuntimeModuleFactory.production(),
              Map.of("STEPGUARD_CONFIG", operator.toString()),
              directory,
              runtime -> {
                Instant now = Instant.now();
                runtime
                    .tokens()
                    .add(
                        new ApiToken(
                            "ci", TokenScope.RUN, ApiTokens.sha256Hex(TestServer.RUN), now));
                runtime.tokens().revoke("ci", now);
                return ProductionTokens.authenticator(runtime);
              });
    } finally {
      root.detachAppender(captured);
    }
    List<ILoggingEvent> events;
    synchronized (captured) { // the server's own threads may still be appending
      events = List.copyOf(captured.list);
    }
    try (TestServer server = TestServer.around(project, running)) {
      assertThat(server.get("/api/v1/health", TestServer.RUN).statusCode()).isEqualTo(401);
      assertThat(Files.exists(DefaultToken.file(project))).isFalse();
      assertThat(events)
          .anySatisfy(
              event ->
                  assertThat(event.getFormattedMessage())
                      .startsWith("every API token of this project is revoked"));
    }
  }
}
