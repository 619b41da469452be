package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.port.Cancellation;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line's side of the hand-off runs alone rather than trust an odd server. */
class HandOffClientTest {
  @TempDir Path temp;

  private final AtomicInteger fakes = new AtomicInteger();

  private Path project() throws Exception {
    Path project = Files.createDirectories(temp.resolve("p"));
    Files.createDirectory(
        project.resolve(".stepguard"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return project;
  }

  @Test
  void sendsOnlyTheVariablesThatConfigureARun() {
    Map<String, String> env =
        HandOff.environment(Map.of("PATH", "/usr/bin", "SECRET_TOKEN", "x", "HOME", "/h"));

    assertThat(env).containsOnlyKeys("PATH", "HOME");
  }

  @Test
  void aFileThatIsNotASocketIsNoServer() throws Exception {
    Path project = project();
    Files.writeString(HandOff.socket(project), "not a socket");

    HandOff.Answer answer =
        HandOff.send(
            HandOff.Request.of(project, "x.py", "{}", null, null, Map.of()), new Cancellation());

    assertThat(answer).isInstanceOf(HandOff.Answer.Declined.class);
    assertThat(((HandOff.Answer.Declined) answer).reason()).contains("not a socket");
  }

  @Test
  void aSocketOfAnotherUserIsNotConnectedTo() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "only root can give a socket away");
    Path project = project();
    try (ServerSocketChannel other = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      other.bind(UnixDomainSocketAddress.of(HandOff.socket(project)));
      Files.setOwner(
          HandOff.socket(project),
          project.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));

      HandOff.Answer answer =
          HandOff.send(
              HandOff.Request.of(project, "x.py", "{}", null, null, Map.of()), new Cancellation());

      assertThat(answer).isInstanceOf(HandOff.Answer.Declined.class);
      assertThat(((HandOff.Answer.Declined) answer).reason()).contains("belongs to another user");
    }
  }

  @Test
  void aServerThatAnswersSomethingElseIsDeclinedAndNothingRuns() throws Exception {
    Path project = project();
    try (ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      fake.bind(UnixDomainSocketAddress.of(HandOff.socket(project)));
      CompletableFuture<Void> answered =
          CompletableFuture.runAsync(
              () -> {
                try (SocketChannel client = fake.accept()) {
                  Frames.read(client, 1 << 20);
                  Frames.read(client, 1 << 20);
                  Frames.write(client, (byte) 'Z', new byte[0]);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });

      HandOff.Answer answer =
          HandOff.send(
              HandOff.Request.of(project, "x.py", "{}", null, null, Map.of()), new Cancellation());

      answered.get();
      assertThat(answer).isInstanceOf(HandOff.Answer.Declined.class);
      assertThat(((HandOff.Answer.Declined) answer).reason()).contains("frame of type");
    }
  }

  /** What a fake server does on the one connection it takes, after it read the request. */
  private interface Conversation {
    void on(SocketChannel client) throws Exception;
  }

  /** The answer of a client that talks to a fake server doing {@code conversation}. */
  private HandOff.Answer against(
      Conversation conversation, Cancellation cancellation, HandOff.Deadlines deadlines)
      throws Exception {
    // A short name: a Unix socket's path has at most 107 bytes, and CI's temporary directory for
    // its second, ordinary user's pass is deep already.
    Path project = Files.createDirectories(temp.resolve("f" + fakes.incrementAndGet()));
    Files.createDirectory(
        project.resolve(".stepguard"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try (ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      fake.bind(UnixDomainSocketAddress.of(HandOff.socket(project)));
      CompletableFuture<Void> served =
          CompletableFuture.runAsync(
              () -> {
                try (SocketChannel client = fake.accept()) {
                  Frames.read(client, 1 << 20);
                  Frames.read(client, 1 << 20);
                  conversation.on(client);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      HandOff.Answer answer =
          HandOff.send(
              HandOff.Request.of(project, "x.py", "{}", null, null, Map.of()),
              cancellation,
              deadlines);
      served.get(30, TimeUnit.SECONDS);
      return answer;
    }
  }

  private static HandOff.Deadlines deadlines(int acceptMs, int silenceMs, int urgentMs) {
    return new HandOff.Deadlines(
        Duration.ofMillis(acceptMs), Duration.ofMillis(silenceMs), Duration.ofMillis(urgentMs));
  }

  private static void accept(SocketChannel client) throws IOException {
    Frames.write(client, Frames.ACCEPTED, Frames.accepted("run-1", List.of()));
    assertThat(Frames.read(client, 1 << 10).type()).isEqualTo(Frames.GO);
  }

  private static void end(SocketChannel client, String record) throws IOException {
    Frames.write(client, Frames.ENDED, record.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @Timeout(60)
  void givesUpOnAServerThatDoesNotReadItsRequestInTime() throws Exception {
    Path project = project();
    try (ServerSocketChannel stopped = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      stopped.bind(UnixDomainSocketAddress.of(HandOff.socket(project)));
      String input = "{\"a\": \"" + "x".repeat(8 * 1024 * 1024) + "\"}";

      HandOff.Answer answer =
          HandOff.send(
              HandOff.Request.of(project, "x.py", input, null, null, Map.of()),
              new Cancellation(),
              deadlines(500, 30_000, 3000));

      assertThat(answer).isInstanceOf(HandOff.Answer.Declined.class);
      assertThat(((HandOff.Answer.Declined) answer).reason()).contains("did not answer");
    }
  }

  @Test
  void neverSaysGoToAnAcceptanceThatComesAfterItGaveUp() throws Exception {
    AtomicReference<String> after = new AtomicReference<>();
    HandOff.Answer answer =
        against(
            client -> {
              Thread.sleep(1500);
              try {
                Frames.write(client, Frames.ACCEPTED, Frames.accepted("run-1", List.of()));
                after.set("frame " + (char) Frames.read(client, 1 << 10).type());
              } catch (IOException e) {
                after.set("closed");
              }
            },
            new Cancellation(),
            deadlines(500, 30_000, 3000));

    assertThat(answer).isInstanceOf(HandOff.Answer.Declined.class);
    assertThat(after).hasValue("closed");
  }

  @Test
  void waitsForTheEndAsLongAsTheServerSaysItIsAlive() throws Exception {
    HandOff.Answer answer =
        against(
            client -> {
              accept(client);
              for (int i = 0; i < 10; i++) {
                Thread.sleep(200);
                Frames.write(client, Frames.ALIVE, new byte[0]);
              }
              end(client, "{\"status\": \"SUCCEEDED\"}");
            },
            new Cancellation(),
            deadlines(5000, 1000, 3000));

    assertThat(answer).isInstanceOf(HandOff.Answer.Ended.class);
  }

  @Test
  void reportsTheRunLostWhenTheServerFallsSilentAfterGo() throws Exception {
    HandOff.Answer answer =
        against(
            client -> {
              accept(client);
              Thread.sleep(2500);
            },
            new Cancellation(),
            deadlines(5000, 1000, 3000));

    assertThat(answer).isInstanceOf(HandOff.Answer.Lost.class);
    assertThat(((HandOff.Answer.Lost) answer).runId()).isEqualTo("run-1");
    assertThat(((HandOff.Answer.Lost) answer).message()).contains("nothing came for");
  }

  @Test
  void givesUpWaitingSoonAfterASecondCancelRequest() throws Exception {
    Cancellation cancellation = new Cancellation();
    HandOff.Answer answer =
        against(
            client -> {
              accept(client);
              cancellation.request(CancelRequest.bySignal("SIGINT", "me"));
              cancellation.request(CancelRequest.bySignal("SIGINT", "me"));
              Thread.sleep(3000);
            },
            cancellation,
            deadlines(5000, 60_000, 500));

    assertThat(answer).isInstanceOf(HandOff.Answer.Lost.class);
    assertThat(((HandOff.Answer.Lost) answer).message()).contains("cancelled twice");
  }

  @Test
  void aRecordWithAStatusNoRunEndsInIsALostRun() throws Exception {
    for (String record : List.of("{\"status\": \"BOGUS\"}", "{\"status\": \"RUNNING\"}", "[1]")) {
      HandOff.Answer answer =
          against(
              client -> {
                accept(client);
                end(client, record);
              },
              new Cancellation(),
              deadlines(5000, 30_000, 3000));

      assertThat(answer).as(record).isInstanceOf(HandOff.Answer.Lost.class);
    }
  }
}
