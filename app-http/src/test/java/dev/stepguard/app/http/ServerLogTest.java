package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.read.ListAppender;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Every line the server logs stays one line whatever a request puts in it: the production
 * logback.xml escapes control, bidirectional and line-breaking characters in every message and
 * exception message, so a client cannot forge a log line.
 */
class ServerLogTest {
  /** What a client would like to see in the log as a line of its own. */
  private static final String FORGED =
      "2026-01-01T00:00:00.000Z INFO  stepguard.http.access - POST /api/v1/executions 201 3ms admin";

  private static final String ACCESS = "stepguard.http.access";

  @TempDir Path directory;

  private static Encoder<ILoggingEvent> production;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void readTheProductionConfiguration() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(ServerLogTest.class.getResource("/logback.xml"));
    OutputStreamAppender<ILoggingEvent> stderr =
        (OutputStreamAppender<ILoggingEvent>)
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
    production = stderr.getEncoder();
  }

  private static String laidOut(ILoggingEvent event) {
    return new String(production.encode(event), StandardCharsets.UTF_8);
  }

  private static LoggingEvent event(String format, Throwable error, Object... args) {
    Logger logger = new LoggerContext().getLogger("stepguard.http.access");
    return new LoggingEvent(Logger.class.getName(), logger, Level.INFO, format, error, args);
  }

  @Test
  void aValueWithNewlinesControlAndBidiCharactersStaysOnItsOwnLineEscaped() {
    String line =
        laidOut(
            event(
                "{} {} {}",
                null,
                "GET",
                "/x\n" + FORGED + "\r\n" + FORGED,
                "evil\u202etxt.py\u001b[2J\u0085\u2028"));

    assertThat(line).endsWith("\n");
    assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n", "\r");
    assertThat(line)
        .contains("/x\\x0a2026-01-01T00:00:00.000Z INFO", "\\x0d\\x0a2026")
        .contains("evil\\u202etxt.py\\x1b[2J\\x85\\u2028")
        .doesNotContain("\u202e", "\u001b", "\u0085", "\u2028");
  }

  @Test
  void anExceptionMessageCannotStartALineThatLooksLikeAnEvent() {
    Exception cause = new IllegalStateException("inner\n" + FORGED);
    String lines =
        laidOut(event("internal error", new IllegalArgumentException("outer\n" + FORGED, cause)));

    List<String> all = lines.lines().toList();
    assertThat(all.get(0)).endsWith("internal error");
    assertThat(all.get(1))
        .startsWith("java.lang.IllegalArgumentException: outer\\x0a2026-01-01T00:00:00.000Z");
    assertThat(all.subList(2, all.size()))
        .allSatisfy(line -> assertThat(line).matches("(\t|Caused by: ).*"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("Caused by: java.lang.IllegalStateException: inner\\x0a"));
  }

  @Test
  void aRequestWithACraftedScriptNameAndPathLogsOneLineEach() {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try (TestServer server = TestServer.withArgs(directory)) {
      String script = "x\\n" + FORGED + "\\u202e\\u001b[2J.py";
      HttpResponse<String> rejected =
          server.post("/api/v1/executions", TestServer.RUN, "{\"script\": \"" + script + "\"}");
      HttpResponse<String> missing =
          server.send(
              server
                  .request("/api/v1/executions/%0a2026-01-01%E2%80%AE%1b", TestServer.READ)
                  .GET()
                  .build());
      HttpRequest header =
          server
              .request("/api/v1/executions", TestServer.RUN)
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", "k\u0085" + "x")
              .POST(HttpRequest.BodyPublishers.ofString("{\"script\": \"a.py\"}"))
              .build();
      server.send(header);

      assertThat(rejected.statusCode()).isEqualTo(422);
      assertThat(missing.statusCode()).isIn(400, 404);
      // Javalin logs a request after its answer is sent: wait for the three lines before stopping.
      awaitAccessLines(captured, 3);
    } finally {
      root.detachAppender(captured);
    }

    List<ILoggingEvent> events = snapshot(captured);
    List<String> access =
        events.stream()
            .filter(event -> event.getLoggerName().equals(ACCESS))
            .map(ServerLogTest::laidOut)
            .toList();
    assertThat(access).hasSizeGreaterThanOrEqualTo(3);
    assertThat(events.stream().map(ServerLogTest::laidOut))
        .allSatisfy(
            line -> {
              assertThat(line).endsWith("\n");
              assertThat(line.substring(0, line.length() - 1))
                  .doesNotContain("\n", "\r", "\u202e", "\u001b", "\u0085");
            });
    assertThat(access).anySatisfy(line -> assertThat(line).contains("POST /api/v1/executions 422"));
    assertThat(events.stream().map(ServerLogTest::laidOut))
        .anySatisfy(line -> assertThat(line).contains("x\\x0a2026-01-01T00:00:00.000Z INFO"));
  }

  /** The events so far, copied under the appender's own lock (other threads log meanwhile). */
  private static List<ILoggingEvent> snapshot(ListAppender<ILoggingEvent> captured) {
    synchronized (captured) {
      return new ArrayList<>(captured.list);
    }
  }

  private static void awaitAccessLines(ListAppender<ILoggingEvent> captured, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (snapshot(captured).stream().filter(e -> e.getLoggerName().equals(ACCESS)).count() < count
        && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }
}
