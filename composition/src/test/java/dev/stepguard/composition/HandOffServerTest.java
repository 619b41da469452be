package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The hand-off socket on a real Unix socket, with runs that the test ends itself. */
class HandOffServerTest {
  @TempDir Path project;

  private final BlockingQueue<CancelRequest> cancels = new LinkedBlockingQueue<>();
  private final CompletableFuture<ExecutionRecord> end = new CompletableFuture<>();
  private final AtomicInteger taken = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final HandOffServer.Runs runs =
      (request, requester) -> {
        taken.incrementAndGet();
        return new HandOffServer.Taken.Accepted(
            "run-1", List.of("a notice"), end, cancels::add, started::incrementAndGet);
      };
  private HandOffServer server;

  @AfterEach
  void close() {
    end.completeExceptionally(new IllegalStateException("the test ended"));
    if (server != null) {
      server.close();
    }
  }

  private HandOffServer listen(long maxInput) {
    server = HandOffServer.listen(project, runs, maxInput, 4).orElseThrow();
    return server;
  }

  private HandOff.Request request(String input) {
    return HandOff.Request.of(project, "x.py", input, null, null, Map.of());
  }

  private CompletableFuture<HandOff.Answer> sendAsync(Cancellation cancellation) {
    return CompletableFuture.supplyAsync(() -> HandOff.send(request("{}"), cancellation));
  }

  @Test
  void declinesWhenNoServerListens() {
    assertThat(HandOff.send(request("{}"), new Cancellation()))
        .isInstanceOf(HandOff.Answer.Declined.class);
  }

  @Test
  void declinesAtOnceOnTheStaleSocketOfAKilledServer() throws IOException {
    stale();

    assertThat(HandOff.send(request("{}"), new Cancellation()))
        .isInstanceOf(HandOff.Answer.Declined.class);
  }

  @Test
  void replacesTheStaleSocketOfAKilledServer() throws Exception {
    stale();
    listen(1024);

    CompletableFuture<HandOff.Answer> answer = sendAsync(new Cancellation());
    end.completeExceptionally(new IllegalStateException("boom"));

    assertThat(answer.get(10, TimeUnit.SECONDS)).isInstanceOf(HandOff.Answer.Lost.class);
    assertThat(taken).hasValue(1);
  }

  @Test
  void makesTheSocketOwnerOnlyInAPrivateDirectory() throws IOException {
    listen(1024);
    Path socket = HandOff.socket(project);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
        .isEqualTo("rw-------");
  }

  @Test
  void replacesALinkAtTheSocketPathWithoutFollowingIt() throws IOException {
    Path target = Files.writeString(project.resolve("target.txt"), "keep");
    Path socket = privateDirectory().resolve("server.sock");
    Files.createSymbolicLink(socket, target);

    listen(1024);

    assertThat(
            Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .isOther())
        .isTrue();
    assertThat(Files.readString(target)).isEqualTo("keep");
  }

  @Test
  void leavesTheSocketOfALiveServerAlone() {
    listen(1024);

    Optional<HandOffServer> second = HandOffServer.listen(project, runs, 1024, 4);

    assertThat(second).isEmpty();
    assertThat(Files.exists(HandOff.socket(project), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void listensNowhereWhenItsPrivateDirectoryIsNotADirectory() throws IOException {
    Path other = Files.createDirectories(project.resolve("nested"));
    Files.writeString(other.resolve(".stepguard"), "a file");

    assertThat(HandOffServer.listen(other, runs, 1024, 4)).isEmpty();
    assertThat(Files.readString(other.resolve(".stepguard"))).isEqualTo("a file");
  }

  @Test
  void refusesToListenInADirectoryOthersCanEnter() throws IOException {
    Files.setPosixFilePermissions(privateDirectory(), PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(HandOffServer.listen(project, runs, 1024, 4)).isEmpty();
  }

  @Test
  void removesItsSocketWhenClosed() {
    listen(1024).close();

    assertThat(Files.exists(HandOff.socket(project), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void declinesARequestOverItsInputCapWithoutTakingIt() {
    listen(100);

    HandOff.Answer answer =
        HandOff.send(request("{\"a\": \"" + "x".repeat(200) + "\"}"), new Cancellation());

    assertThat(answer).isInstanceOf(HandOff.Answer.Declined.class);
    assertThat(((HandOff.Answer.Declined) answer).reason()).contains("too large");
    assertThat(taken).hasValue(0);
  }

  @Test
  void forwardsTheCommandLinesCancelRequestsForItsUser() throws Exception {
    listen(1024);
    Cancellation cancellation = new Cancellation();
    CompletableFuture<HandOff.Answer> answer = sendAsync(cancellation);
    awaitTaken();

    cancellation.request(CancelRequest.bySignal("SIGTERM", "whoever"));

    CancelRequest forwarded = cancels.poll(10, TimeUnit.SECONDS);
    assertThat(forwarded).isNotNull();
    assertThat(forwarded.cause()).isEqualTo("SIGTERM");
    assertThat(forwarded.requester().name()).isEqualTo(System.getProperty("user.name"));
    end.completeExceptionally(new IllegalStateException("stopped"));
    assertThat(answer.get(10, TimeUnit.SECONDS)).isInstanceOf(HandOff.Answer.Lost.class);
  }

  @Test
  void cancelsTheStartedRunOfAClientThatGoesAway() throws Exception {
    listen(1024);
    try (SocketChannel channel = requested()) {
      assertThat(Frames.read(channel, 1 << 16).type()).isEqualTo(Frames.ACCEPTED);
      Frames.write(channel, Frames.GO, new byte[0]);
      awaitStarted();
    }

    CancelRequest cancel = cancels.poll(10, TimeUnit.SECONDS);
    assertThat(cancel).isNotNull();
    assertThat(cancel.cause()).isEqualTo("client disconnected");
    assertThat(started).hasValue(1);
  }

  @Test
  void withdrawsWithoutStartingTheRunOfAClientThatGoesAwayBeforeSayingGo() throws Exception {
    listen(1024);
    try (SocketChannel channel = requested()) {
      assertThat(Frames.read(channel, 1 << 16).type()).isEqualTo(Frames.ACCEPTED);
    }

    assertWithdrawnNeverStarted();
  }

  @Test
  void withdrawsWithoutStartingTheRunOfAClientThatSaysNothingAfterTheAcceptance() throws Exception {
    listen(1024);
    try (SocketChannel channel = requested()) {
      assertThat(Frames.read(channel, 1 << 16).type()).isEqualTo(Frames.ACCEPTED);

      assertWithdrawnNeverStarted();
      assertThat(closedByTheServer(channel)).isTrue();
    }
  }

  @Test
  void withdrawsWithoutStartingTheRunOfAClientKilledAfterSendingItsRequest() throws Exception {
    CompletableFuture<Void> clientGone = new CompletableFuture<>();
    server =
        HandOffServer.listen(
                project,
                (request, requester) -> {
                  clientGone.join();
                  return runs.take(request, requester);
                },
                1024,
                4)
            .orElseThrow();
    SocketChannel killed = requested();
    Thread.sleep(100);
    killed.close();
    clientGone.complete(null);

    assertWithdrawnNeverStarted();
  }

  @Test
  void neverStartsARunWhoseServerAcceptedItAfterTheClientGaveUp() throws Exception {
    // A server stopped (SIGSTOP) longer than the client's accept deadline, then resumed.
    CompletableFuture<Void> resumed = new CompletableFuture<>();
    server =
        HandOffServer.listen(
                project,
                (request, requester) -> {
                  resumed.join();
                  return runs.take(request, requester);
                },
                1024,
                4)
            .orElseThrow();
    HandOff.Deadlines deadlines =
        new HandOff.Deadlines(
            Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(3));

    HandOff.Answer answer = HandOff.send(request("{}"), new Cancellation(), deadlines);
    resumed.complete(null);

    assertThat(answer).isInstanceOf(HandOff.Answer.Declined.class);
    assertThat(((HandOff.Answer.Declined) answer).reason()).contains("did not answer");
    assertWithdrawnNeverStarted();
  }

  @Test
  void startsTheRunOnlyWhenTheClientSaysGo() throws Exception {
    listen(1024);
    try (SocketChannel channel = requested()) {
      assertThat(Frames.read(channel, 1 << 16).type()).isEqualTo(Frames.ACCEPTED);
      Thread.sleep(300);
      assertThat(started).hasValue(0);

      Frames.write(channel, Frames.GO, new byte[0]);

      awaitStarted();
      assertThat(started).hasValue(1);
    }
  }

  @Test
  void saysItIsAliveWhileTheRunGoesOn() throws Exception {
    listen(1024);
    try (SocketChannel channel = requested()) {
      assertThat(Frames.read(channel, 1 << 16).type()).isEqualTo(Frames.ACCEPTED);
      Frames.write(channel, Frames.GO, new byte[0]);

      assertThat(Frames.read(channel, 1 << 16).type()).isEqualTo(Frames.ALIVE);
    }
  }

  @Test
  @Timeout(60)
  void keepsSayingItIsAliveToTheClientsOfRunsThatGoOnAfterItStopsListening() throws Exception {
    listen(1024);
    try (SocketChannel channel = requested()) {
      assertThat(Frames.read(channel, 1 << 16).type()).isEqualTo(Frames.ACCEPTED);
      Frames.write(channel, Frames.GO, new byte[0]);
      awaitStarted();

      server.close();

      assertThat(Frames.read(channel, 1 << 16).type()).isEqualTo(Frames.ALIVE);
      end.complete(
          SampleRecords.closed(
              SampleRecords.running("x.py", Instant.parse("2026-01-01T00:00:00Z")),
              Status.SUCCEEDED));
      assertThat(Frames.read(channel, 1 << 20).type()).isEqualTo(Frames.ENDED);
    }
  }

  @Test
  void closesAConnectionOfAnotherVersionWithoutTakingARun() throws Exception {
    listen(1024);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream header = new java.io.DataOutputStream(bytes);
    header.writeInt(1);
    header.writeUTF(project.toString());
    header.writeUTF("x.py");
    header.writeLong(-1);
    header.writeUTF("");
    header.writeInt(0);
    try (SocketChannel channel = connect()) {
      Frames.write(channel, Frames.HEADER, bytes.toByteArray());
      Frames.write(channel, Frames.INPUT, "{}".getBytes(StandardCharsets.UTF_8));

      assertThat(closedByTheServer(channel)).isTrue();
    }
    assertThat(taken).hasValue(0);
  }

  private void assertWithdrawnNeverStarted() throws InterruptedException {
    CancelRequest cancel = cancels.poll(20, TimeUnit.SECONDS);
    assertThat(cancel).as("the run is withdrawn").isNotNull();
    assertThat(cancel.cause()).isEqualTo(HandOffServer.WENT_AWAY);
    assertThat(taken).hasValue(1);
    assertThat(started).hasValue(0);
  }

  /** A connection that sent a request for x.py. */
  private SocketChannel requested() throws IOException {
    SocketChannel channel = connect();
    Frames.write(channel, Frames.HEADER, Frames.header(request("{}")));
    Frames.write(channel, Frames.INPUT, "{}".getBytes(StandardCharsets.UTF_8));
    return channel;
  }

  private void awaitStarted() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (started.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void refusesAPeerOfAnotherUser() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name"))
            && Files.isExecutable(Path.of("/usr/bin/setpriv"))
            && Files.isExecutable(Path.of("/usr/bin/python3")),
        "needs root, setpriv and /usr/bin/python3 to connect as nobody");
    listen(1024);
    Path socket = HandOff.socket(project);
    // Open the way for the test only: the directory's 0700 alone keeps others out in real use.
    Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwx--x--x"));
    Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
    String client =
        "import socket,struct,sys\n"
            + "s=socket.socket(socket.AF_UNIX)\n"
            + "s.connect(sys.argv[1])\n"
            + "def utf(x):\n"
            + "  b=x.encode()\n"
            + "  return struct.pack('>H',len(b))+b\n"
            + "h=struct.pack('>i',2)+utf(sys.argv[2])+utf('x.py')+struct.pack('>q',-1)+utf('')"
            + "+struct.pack('>i',0)\n"
            + "try:\n"
            + "  s.sendall(b'H'+struct.pack('>i',len(h))+h+b'I'+struct.pack('>i',2)+b'{}')\n"
            + "  print('answered' if s.recv(1) else 'closed')\n"
            + "except (BrokenPipeError, ConnectionResetError):\n"
            + "  print('closed')\n";
    Process process =
        new ProcessBuilder(
                "/usr/bin/setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "/usr/bin/python3",
                "-c",
                client,
                socket.toString(),
                project.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();

    assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip())
        .isEqualTo("closed");
    assertThat(taken).hasValue(0);
  }

  @Test
  void answersTheRecordOfARunThatEnds() throws Exception {
    listen(1024);
    CompletableFuture<HandOff.Answer> answer = sendAsync(new Cancellation());
    awaitTaken();

    end.complete(
        SampleRecords.closed(
            SampleRecords.running("x.py", Instant.parse("2026-01-01T00:00:00Z")),
            Status.SUCCEEDED));

    HandOff.Answer ended = answer.get(10, TimeUnit.SECONDS);
    assertThat(ended).isInstanceOf(HandOff.Answer.Ended.class);
    assertThat(((HandOff.Answer.Ended) ended).notices()).containsExactly("a notice");
    assertThat(((HandOff.Answer.Ended) ended).record().path("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void passesOnTheReasonOfARunItDeclines() {
    server =
        HandOffServer.listen(
                project,
                (request, requester) -> new HandOffServer.Taken.Declined("every slot is busy"),
                1024,
                4)
            .orElseThrow();

    HandOff.Answer answer = HandOff.send(request("{}"), new Cancellation());

    assertThat(answer).isEqualTo(new HandOff.Answer.Declined("every slot is busy"));
  }

  @Test
  void closesConnectionsOverItsCapAtOnce() throws Exception {
    server = HandOffServer.listen(project, runs, 1024, 1).orElseThrow();
    try (SocketChannel first = connect();
        SocketChannel second = connect()) {
      assertThat(closedByTheServer(second)).isTrue();
      assertThat(first.isOpen()).isTrue();
    }
    assertThat(taken).hasValue(0);
  }

  @Test
  void closesAConnectionWhoseFramesComeInTheWrongOrderWithoutTakingARun() throws Exception {
    listen(1024);
    try (SocketChannel channel = connect()) {
      Frames.write(channel, Frames.INPUT, "{}".getBytes(StandardCharsets.UTF_8));
      Frames.write(channel, Frames.HEADER, Frames.header(request("{}")));

      assertThat(closedByTheServer(channel)).isTrue();
    }
    assertThat(taken).hasValue(0);
  }

  /** Whether the server closes {@code channel} without a word (waits 10 s at the most). */
  private static boolean closedByTheServer(SocketChannel channel) throws Exception {
    CompletableFuture<Integer> read =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return channel.read(ByteBuffer.allocate(1));
              } catch (IOException e) {
                return -1;
              }
            });
    try {
      return read.get(10, TimeUnit.SECONDS) == -1;
    } catch (TimeoutException e) {
      return false;
    }
  }

  private SocketChannel connect() throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(HandOff.socket(project)));
    return channel;
  }

  private void awaitTaken() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (taken.get() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(100);
  }

  private Path privateDirectory() throws IOException {
    return Files.createDirectory(
        project.resolve(".stepguard"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  /** A socket file left behind by a server that was killed: nobody listens on it. */
  private void stale() throws IOException {
    Path socket = privateDirectory().resolve("server.sock");
    try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      dead.bind(UnixDomainSocketAddress.of(socket));
    }
    assertThat(Files.exists(socket, LinkOption.NOFOLLOW_LINKS)).isTrue();
  }
}
