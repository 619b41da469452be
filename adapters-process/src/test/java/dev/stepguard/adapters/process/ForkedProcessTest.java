package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fork server's child seen as a process: its end comes from the fork server's report, or, when no
 * report comes (a fork server stopped or gone), from the child being gone, as killed.
 */
class ForkedProcessTest {
  @TempDir Path temp;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private Process sleeper;

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable closeable : opened) {
      closeable.close();
    }
    if (sleeper != null) {
      sleeper.destroyForcibly().waitFor();
    }
  }

  private ForkedProcess child(CompletableFuture<Integer> exit) throws Exception {
    sleeper = new ProcessBuilder("sleep", "60").start();
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    opened.add(server);
    server.bind(UnixDomainSocketAddress.of(temp.resolve("s")));
    List<SocketChannel> ours = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SocketChannel theirs = SocketChannel.open(server.getLocalAddress());
      opened.add(theirs);
      ours.add(server.accept());
    }
    ForkedProcess child = new ForkedProcess(sleeper.toHandle(), ours, exit);
    opened.add(child::abandon);
    return child;
  }

  @Test
  void endsWithTheStatusItsForkServerReported() throws Exception {
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    ForkedProcess child = child(exit);

    assertThat(child.isAlive()).isTrue();
    assertThatThrownBy(child::exitValue).isInstanceOf(IllegalThreadStateException.class);
    assertThat(child.waitFor(50, TimeUnit.MILLISECONDS)).isFalse();
    CompletableFuture<Process> ended = child.onExit();
    exit.complete(3);

    assertThat(child.waitFor()).isEqualTo(3);
    assertThat(ended.get(5, TimeUnit.SECONDS)).isSameAs(child);
    assertThat(child.isAlive()).isFalse();
    assertThat(child.pid()).isEqualTo(sleeper.pid());
    assertThat(child.toHandle().pid()).isEqualTo(sleeper.pid());
    assertThat(child.supportsNormalTermination()).isTrue();
    assertThat(child.getOutputStream()).isNotNull();
    assertThat(child.getInputStream()).isNotNull();
    assertThat(child.getErrorStream()).isNotNull();
  }

  @Test
  void aChildThatDiedUnreportedHasEndedAsKilled() throws Exception {
    ForkedProcess child = child(new CompletableFuture<>());
    CompletableFuture<Process> ended = child.onExit();

    child.destroy();
    sleeper.waitFor();

    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).isEqualTo(ForkedProcess.UNREPORTED);
    assertThat(ended.get(10, TimeUnit.SECONDS)).isSameAs(child);
  }

  @Test
  void aChildAskedForItsStatusAfterItDiedUnreportedExitedAsKilled() throws Exception {
    ForkedProcess child = child(new CompletableFuture<>());

    child.destroy();
    sleeper.waitFor();

    assertThat(child.exitValue()).isEqualTo(ForkedProcess.UNREPORTED);
    assertThat(child.isAlive()).isFalse();
  }

  @Test
  void destroyingItForciblyKillsTheChild() throws Exception {
    ForkedProcess child = child(new CompletableFuture<>());

    assertThat(child.destroyForcibly()).isSameAs(child);

    assertThat(sleeper.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(child.waitFor()).isEqualTo(ForkedProcess.UNREPORTED);
  }
}
