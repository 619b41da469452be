package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.Guice;
import dev.stepguard.composition.CompositionModule;
import dev.stepguard.composition.HandOff;
import dev.stepguard.composition.HandOffServer;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stepguard run} with a server listening for the project (a real socket, the real use case
 * over a real history, real Python) prints what it prints alone, with the same exit codes: the same
 * scripts run alone in a twin project without a server give the expectation.
 */
class HandedRunTest {
  @TempDir static Path served;
  @TempDir static Path alone;
  @TempDir static Path operator;
  private static Map<String, String> env;
  private static RuntimeFactory runtimes;
  private static HandOffServer server;
  private static final AtomicInteger handed = new AtomicInteger();
  private static final AtomicReference<Consumer<CancelRequest>> lastCancel =
      new AtomicReference<>();

  @BeforeAll
  static void start() throws IOException {
    Files.writeString(operator.resolve("config.yaml"), "isolation: process\n");
    env = Cli.operator(operator.resolve("config.yaml"));
    for (Path project : List.of(served, alone)) {
      Files.writeString(
          project.resolve("echo.py"),
          "import json,sys\nprint(json.dumps({'got': json.load(sys.stdin)}))\n");
      Files.writeString(
          project.resolve("fail.py"),
          "import sys\nsys.stdin.read()\nprint('bad input', file=sys.stderr)\nsys.exit(3)\n");
      Files.writeString(
          project.resolve("sleep.py"),
          "import sys,time\nprint('sleeping', file=sys.stderr, flush=True)\ntime.sleep(30)\n");
    }
    runtimes =
        Guice.createInjector(new CompositionModule(RuntimeModuleFactory.production(), env))
            .getInstance(RuntimeFactory.class);
    Settings settings = runtimes.settings(served, notice -> {});
    ProjectRuntime runtime = runtimes.open(served, settings);
    server =
        HandOffServer.listen(
                served,
                (request, requester) -> {
                  handed.incrementAndGet();
                  Settings chosen =
                      request.timeout() == null
                          ? settings
                          : settings.withTimeout(request.timeout());
                  ExecutionRequest run =
                      ExecutionRequest.standalone(
                          request.script(),
                          request.input(),
                          chosen.timeout(),
                          chosen.grace(),
                          chosen.limitsFor(chosen.timeout()),
                          requester);
                  ExecutionId id = ExecutionId.random();
                  ExecutionRecord accepted = runtime.executor().accept(id, run);
                  Cancellation cancellation = new Cancellation();
                  CompletableFuture<Void> go = new CompletableFuture<>();
                  CompletableFuture<ExecutionRecord> end =
                      accepted.status() == Status.RUNNING
                          ? go.thenApplyAsync(
                              started -> runtime.executor().executeAccepted(id, run, cancellation))
                          : CompletableFuture.completedFuture(accepted);
                  Consumer<CancelRequest> cancel =
                      asked -> {
                        cancellation.request(asked);
                        go.complete(null);
                      };
                  lastCancel.set(cancel);
                  return new HandOffServer.Taken.Accepted(
                      id.value(), List.of(), end, cancel, () -> go.complete(null));
                },
                4 * 1024 * 1024,
                4)
            .orElseThrow();
  }

  @AfterAll
  static void stop() {
    server.close();
    runtimes.closeAll();
  }

  private static Cli.Result run(Path project, String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--project";
    all[args.length + 1] = project.toString();
    return Cli.run(env, RuntimeModuleFactory.production(), all);
  }

  /** Runs {@code args} handed off and alone; checks that it was handed off. */
  private static List<Cli.Result> bothWays(String... args) {
    int before = handed.get();
    Cli.Result viaServer = run(served, args);
    assertThat(handed.get()).as("handed to the server").isEqualTo(before + 1);
    Cli.Result byItself = run(alone, args);
    assertThat(handed.get()).as("not handed to the server").isEqualTo(before + 1);
    return List.of(viaServer, byItself);
  }

  @Test
  void printsTheOutputOfASucceededRunAsAloneAndExits0() {
    List<Cli.Result> results = bothWays("run", "echo.py", "--input", "{\"n\": 1}");

    assertThat(results.get(0)).isEqualTo(results.get(1));
    assertThat(results.get(0).exitCode()).isZero();
    assertThat(results.get(0).out().strip()).isEqualTo("{\"got\":{\"n\":1}}");
  }

  @Test
  void printsAnOutputWithCharactersATerminalActsOnAndExactNumbersAsAlone() {
    List<Cli.Result> results =
        bothWays(
            "run",
            "echo.py",
            "--input",
            "{\"s\": \"\\u001b[31m \\u202e \\u0085 \\u00e9 \\ud83d\\ude00\", \"n\": 1.50,"
                + " \"i\": 12345678901234567890123, \"z\": -0, \"l\": [true, null, {}]}");

    assertThat(results.get(0)).isEqualTo(results.get(1));
    assertThat(results.get(0).exitCode()).isZero();
    assertThat(results.get(0).out()).contains("\\u001B[31m", "\\u202e", "12345678901234567890123");
  }

  @Test
  void handsOnAnOptionWrittenWithAnEqualsSignAsAlone() {
    List<Cli.Result> results = bothWays("run", "echo.py", "--input={\"n\": 2}", "--timeout=10s");

    assertThat(results.get(0)).isEqualTo(results.get(1));
    assertThat(results.get(0).out().strip()).isEqualTo("{\"got\":{\"n\":2}}");
  }

  @Test
  void runsAloneACommandLineTheHandOffDoesNotReadLikePicocli() {
    int before = handed.get();

    Cli.Result endOfOptions =
        Cli.run(
            env,
            RuntimeModuleFactory.production(),
            "run",
            "--project",
            served.toString(),
            "--",
            "echo.py");
    Cli.Result valueLikeAnOption = run(served, "run", "echo.py", "--input", "-1");

    assertThat(handed).as("not handed to the server").hasValue(before);
    assertThat(endOfOptions.exitCode()).as(endOfOptions.err()).isZero();
    assertThat(endOfOptions.out().strip()).isEqualTo("{\"got\":{}}");
    assertThat(valueLikeAnOption.exitCode())
        .isEqualTo(run(alone, "run", "echo.py", "--input", "-1").exitCode());
  }

  @Test
  void saysWhyAScriptFailedAsAloneAndExits1() {
    List<Cli.Result> results = bothWays("run", "fail.py");

    assertThat(results.get(0).exitCode()).isEqualTo(1).isEqualTo(results.get(1).exitCode());
    assertThat(results.get(0).out()).isEqualTo(results.get(1).out()).isEmpty();
    assertThat(withoutRunLine(results.get(0).err()))
        .isEqualTo(withoutRunLine(results.get(1).err()));
    assertThat(results.get(0).err()).contains("bad input");
  }

  @Test
  void timesOutAsAloneAndExits4() {
    List<Cli.Result> results = bothWays("run", "sleep.py", "--timeout", "500ms");

    assertThat(results.get(0).exitCode()).isEqualTo(4).isEqualTo(results.get(1).exitCode());
    assertThat(withoutRunLine(results.get(0).err()))
        .isEqualTo(withoutRunLine(results.get(1).err()));
  }

  @Test
  void printsTheRecordWithJsonAsAlone() throws IOException {
    List<Cli.Result> results = bothWays("run", "echo.py", "--json");

    JsonNode handedOff = Json.reader().readTree(results.get(0).out());
    JsonNode byItself = Json.reader().readTree(results.get(1).out());
    assertThat(names(handedOff)).isEqualTo(names(byItself));
    assertThat(handedOff.get("requestedBy")).isEqualTo(byItself.get("requestedBy"));
    assertThat(handedOff.get("output")).isEqualTo(byItself.get("output"));
    assertThat(handedOff.get("project").asText()).isEqualTo(served.toString());
  }

  @Test
  void readsTheInputFileItselfAndHandsItOn() throws IOException {
    Path input = Files.writeString(operator.resolve("input.json"), "{\"from\": \"file\"}");

    List<Cli.Result> results = bothWays("run", "echo.py", "--input-file", input.toString());

    assertThat(results.get(0)).isEqualTo(results.get(1));
    assertThat(results.get(0).out()).contains("file");
  }

  @Test
  void cancelsTheHandedRunOnCtrlCAndExits130() throws Exception {
    Interrupts interrupts = new Interrupts(System.getProperty("user.name"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int before = handed.get();
    CompletableFuture<Integer> code =
        CompletableFuture.supplyAsync(
            () ->
                Main.execute(
                    new String[] {"run", "sleep.py", "--project", served.toString()},
                    new PrintWriter(out, true),
                    new PrintWriter(err, true),
                    RuntimeModuleFactory.production(),
                    env,
                    interrupts,
                    new WorkingDirectory(served)));
    awaitSleeping(before);

    interrupts.deliver("SIGINT", 2);

    assertThat(code.get(60, TimeUnit.SECONDS)).isEqualTo(130);
    assertThat(err.toString()).contains("CANCELLED");
  }

  @Test
  void exits70WhenTheServerStopsAndCancelsTheHandedRun() throws Exception {
    StringWriter err = new StringWriter();
    int before = handed.get();
    CompletableFuture<Integer> code =
        CompletableFuture.supplyAsync(
            () ->
                Main.execute(
                    new String[] {"run", "sleep.py", "--project", served.toString()},
                    new PrintWriter(new StringWriter(), true),
                    new PrintWriter(err, true),
                    RuntimeModuleFactory.production(),
                    env,
                    new Interrupts(System.getProperty("user.name")),
                    new WorkingDirectory(served)));
    awaitSleeping(before);

    lastCancel.get().accept(CancelRequest.toServer("SIGTERM", "server-user"));

    assertThat(code.get(60, TimeUnit.SECONDS)).isEqualTo(ExitCodes.INTERNAL_ERROR);
    assertThat(err.toString()).contains("stepguard-server stopped");
  }

  @Test
  void runsAnArgumentFileAloneAsPicocliReadsIt() throws IOException {
    Path arguments = Files.writeString(operator.resolve("args.txt"), "echo.py\n");
    int before = handed.get();

    Cli.Result result = run(served, "run", "@" + arguments);

    assertThat(handed).as("not handed to the server").hasValue(before);
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out().strip()).isEqualTo("{\"got\":{}}");
  }

  @Test
  void reportsARecordWithAStatusNoRunEndsInAsALostRunWithoutAStackTrace(@TempDir Path project)
      throws Exception {
    Files.writeString(project.resolve("echo.py"), "import json,sys\nprint(json.dumps({}))\n");
    Path socket =
        Files.createDirectory(
                project.resolve(".stepguard"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
            .resolve("server.sock");
    try (ServerSocketChannel forged = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      forged.bind(UnixDomainSocketAddress.of(socket));
      CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> answerBogus(forged));

      Cli.Result result = run(project, "run", "echo.py");

      answered.get(30, TimeUnit.SECONDS);
      assertThat(result.exitCode()).isEqualTo(ExitCodes.INTERNAL_ERROR);
      assertThat(result.out()).isEmpty();
      assertThat(result.err())
          .contains("`stepguard history show forged-run` tells how it ended")
          .doesNotContain("Exception");
    }
  }

  /** A forged server: accepts the run, waits for GO and answers a record of status BOGUS. */
  private static void answerBogus(ServerSocketChannel forged) {
    try (SocketChannel client = forged.accept()) {
      DataInputStream in = new DataInputStream(Channels.newInputStream(client));
      for (int frame = 0; frame < 2; frame++) {
        in.readByte();
        in.readNBytes(in.readInt());
      }
      ByteArrayOutputStream accepted = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(accepted);
      out.writeUTF("forged-run");
      out.writeInt(0);
      write(client, 'A', accepted.toByteArray());
      assertThat((char) in.readByte()).isEqualTo('G');
      in.readInt();
      write(client, 'E', "{\"status\": \"BOGUS\"}".getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(SocketChannel channel, char type, byte[] payload) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(5 + payload.length);
    buffer.put((byte) type).putInt(payload.length).put(payload).flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  @Test
  void runsAloneAtOnceBesideTheStaleSocketOfAKilledServer(@TempDir Path project)
      throws IOException {
    Files.writeString(project.resolve("echo.py"), "import json,sys\nprint(json.dumps({}))\n");
    Path socket =
        Files.createDirectory(
                project.resolve(".stepguard"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
            .resolve("server.sock");
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }

    Cli.Result result = run(project, "run", "echo.py");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().strip()).isEqualTo("{}");
    assertThat(HandOff.socket(project)).exists();
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /**
   * Waits until a handed run of sleep.py has started its script: {@code before} is the count of
   * handed runs read before the command line started, which may hand its run off at once.
   */
  private static void awaitSleeping(int before) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (handed.get() == before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(1500);
  }

  /** stderr without the line that names the run's id and duration, which differ between runs. */
  private static String withoutRunLine(String err) {
    return err.replaceAll("(?m)^  run [0-9a-f-]+ \\(\\d+ ms, ", "  run ID (N ms, ");
  }
}
