package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.port.Cancellation;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's side of the hand-off runs alone rather than trust an odd server. */
class HandOffClientTest {
  @TempDir Path temp;

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
}
