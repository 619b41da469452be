package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.composition.HandOff;
import dev.stepguard.composition.IsolationChoice;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.port.Cancellation;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs handed to a real server over its real socket, with real Python and H2: run as the server's
 * own runs, recorded for the command-line user, and declined whenever the command line would
 * configure them otherwise.
 */
class HandOffApiTest {
  @TempDir static Path directory;
  private static TestServer server;
  private static Map<String, String> env;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\n");
    env = Map.of("STEPGUARD_CONFIG", directory.resolve("operator.yaml").toString());
    server.script("echo.py", "import json,sys\nprint(json.dumps({'got': json.load(sys.stdin)}))\n");
    server.script(
        "fail.py",
        "import sys\nsys.stdin.read()\nprint('bad input', file=sys.stderr)\nsys.exit(3)\n");
    server.script(
        "sleep.py",
        "import json,sys,time\nprint('sleeping', file=sys.stderr, flush=True)\n"
            + "time.sleep(json.load(sys.stdin)['s'])\nprint('{}')\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HandOff.Request request(String script, String input, Duration timeout) {
    return HandOff.Request.of(server.project, script, input, timeout, null, env);
  }

  private static JsonNode ended(HandOff.Answer answer) {
    assertThat(answer).isInstanceOf(HandOff.Answer.Ended.class);
    return ((HandOff.Answer.Ended) answer).record();
  }

  @Test
  void runsAHandedRunAndRecordsItForTheCommandLineUser() {
    JsonNode record =
        ended(HandOff.send(request("echo.py", "{\"n\": 1.50}", null), new Cancellation()));

    assertThat(record.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.path("inputs").toString()).isEqualTo("{\"n\":1.50}");
    assertThat(record.path("output").toString()).isEqualTo("{\"got\":{\"n\":1.5}}");
    assertThat(record.path("requestedBy").path("channel").asText()).isEqualTo("cli");
    assertThat(record.path("requestedBy").path("name").asText())
        .isEqualTo(System.getProperty("user.name"));
    assertThat(record.path("isolation").asText()).isEqualTo("process");
    String id = record.path("id").asText();
    assertThat(server.get(ExecutionRoutes.location(id), TestServer.READ).statusCode())
        .isEqualTo(200);
  }

  @Test
  void givesBackAFailedRunWithItsExitCodeAndStderr() {
    JsonNode record = ended(HandOff.send(request("fail.py", "{}", null), new Cancellation()));

    assertThat(record.path("status").asText()).isEqualTo("FAILED");
    assertThat(record.path("exitCode").asInt()).isEqualTo(3);
    assertThat(record.path("stderr").asText()).contains("bad input");
  }

  @Test
  void appliesTheTimeoutOfTheCommandLine() {
    JsonNode record =
        ended(
            HandOff.send(
                request("sleep.py", "{\"s\": 30}", Duration.ofMillis(500)), new Cancellation()));

    assertThat(record.path("status").asText()).isEqualTo("TIMED_OUT");
    assertThat(record.path("timeoutMs").asLong()).isEqualTo(500);
  }

  @Test
  void refusesAScriptOutsideTheProjectAsTheCommandLineWould() {
    JsonNode record = ended(HandOff.send(request("../x.py", "{}", null), new Cancellation()));

    assertThat(record.path("status").asText()).isEqualTo("REJECTED");
  }

  @Test
  void cancelsTheRunWhenTheCommandLineIsInterrupted() throws Exception {
    Cancellation cancellation = new Cancellation();
    CompletableFuture<HandOff.Answer> answer =
        CompletableFuture.supplyAsync(
            () -> HandOff.send(request("sleep.py", "{\"s\": 30}", null), cancellation));
    awaitRunning("sleep.py");
    cancellation.request(CancelRequest.bySignal("SIGINT", "someone"));

    JsonNode record = ended(answer.get(30, TimeUnit.SECONDS));
    assertThat(record.path("status").asText()).isEqualTo("CANCELLED");
    assertThat(record.path("cancelledBy").path("cause").asText()).isEqualTo("SIGINT");
    assertThat(record.path("cancelledBy").path("requester").path("channel").asText())
        .isEqualTo("cli");
  }

  @Test
  void declinesARunFromAnotherOperatorConfig() {
    HandOff.Answer answer =
        HandOff.send(
            HandOff.Request.of(
                server.project, "echo.py", "{}", null, null, Map.of("STEPGUARD_CONFIG", "/x")),
            new Cancellation());

    assertThat(answer).isInstanceOf(HandOff.Answer.Declined.class);
  }

  @Test
  void declinesARunAskingForAnotherIsolation() {
    HandOff.Answer answer =
        HandOff.send(
            HandOff.Request.of(server.project, "echo.py", "{}", null, IsolationChoice.SANDBOX, env),
            new Cancellation());

    assertThat(answer).isInstanceOf(HandOff.Answer.Declined.class);
  }

  @Test
  void declinesAnInputOverTheInputLimitSoThatTheCommandLineSaysWhy() {
    String large = "{\"a\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}";

    assertThat(HandOff.send(request("echo.py", large, null), new Cancellation()))
        .isInstanceOf(HandOff.Answer.Declined.class);
  }

  @Test
  void listensOnAnOwnerOnlySocketInAPrivateDirectory() throws IOException {
    Path socket = HandOff.socket(server.project);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rw-------");
  }

  @Test
  void removesItsSocketWhenItStops(@TempDir Path other) {
    TestServer stopped = TestServer.start(other, "isolation: process\n");
    Path socket = HandOff.socket(stopped.project);
    assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isTrue();

    stopped.close();

    assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void withdrawsAHandedRunWhoseCommandLineGoesAwayBeforeSayingGoAndNeverRunsIt() throws Exception {
    Path marker = directory.resolve("marked");
    server.script(
        "mark.py",
        "import pathlib,sys\nsys.stdin.read()\npathlib.Path('"
            + marker
            + "').write_text('ran')\nprint('{}')\n");
    String id;
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(HandOff.socket(server.project)));
      frame(channel, 'H', header("mark.py"));
      frame(channel, 'I', "{}".getBytes(StandardCharsets.UTF_8));
      DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
      assertThat((char) in.readByte()).isEqualTo('A');
      in.readInt();
      id = in.readUTF();
    }

    JsonNode record = awaitEnded(id);
    assertThat(record.path("status").asText()).isEqualTo("CANCELLED");
    assertThat(record.path("cancelledBy").path("cause").asText())
        .isEqualTo("the command line went away before the run started");
    Thread.sleep(500);
    assertThat(marker).doesNotExist();
  }

  /** A version-2 header for {@code script} with this test's environment. */
  private static byte[] header(String script) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(2);
    out.writeUTF(server.project.toString());
    out.writeUTF(script);
    out.writeLong(-1);
    out.writeUTF("");
    out.writeInt(env.size());
    for (Map.Entry<String, String> variable : env.entrySet()) {
      out.writeUTF(variable.getKey());
      out.writeUTF(variable.getValue());
    }
    return bytes.toByteArray();
  }

  private static void frame(SocketChannel channel, char type, byte[] payload) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(5 + payload.length);
    buffer.put((byte) type).putInt(payload.length).put(payload).flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static JsonNode awaitEnded(String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      JsonNode record =
          ExecutionsApiTest.json(server.get(ExecutionRoutes.location(id), TestServer.READ));
      if (!record.path("status").asText().equals("RUNNING")) {
        return record;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(id + " did not end");
  }

  private static void awaitRunning(String script) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      JsonNode items =
          ExecutionsApiTest.json(
                  server.get(
                      ExecutionRoutes.BASE + "?status=RUNNING&script=" + script, TestServer.READ))
              .path("items");
      if (items.size() > 0 && !items.get(0).path("queued").asBoolean()) {
        Thread.sleep(300);
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(script + " did not start");
  }
}
