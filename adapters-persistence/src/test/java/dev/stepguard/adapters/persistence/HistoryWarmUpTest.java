package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.h2.engine.SysProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history warm-up: H2 and JDBI loaded on a private in-memory database, never a history. */
class HistoryWarmUpTest {
  @TempDir Path scratch;

  @Test
  void runsItsStatementsToTheEndOnAPrivateInMemoryDatabase() {
    assertThat(HistoryWarmUp.run()).isTrue();
    assertThat(HistoryWarmUp.run()).as("a second warm-up finds a database of its own").isTrue();
  }

  @Test
  void runsOnADaemonThreadThatEnds() throws InterruptedException {
    Thread warmUp = JdbcHistoryModule.warmUp();

    assertThat(warmUp.isDaemon()).isTrue();
    warmUp.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(warmUp.isAlive()).isFalse();
  }

  /**
   * H2 reads its bind address once, when its classes load: a warm-up that loaded them before the
   * history set it would leave the auto-server listening on every interface.
   */
  @Test
  void loadsH2OnlyAfterTheAutoServerIsBoundToLoopback() throws Exception {
    Path err = scratch.resolve("err.txt");
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                WarmUpFirst.class.getName())
            .redirectError(err.toFile())
            .start();
    String said = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(err)).isZero();
    assertThat(said.strip()).isEqualTo("true 127.0.0.1");
  }

  /** A JVM whose first H2 work is the warm-up's; prints whether it ran and H2's bind address. */
  static final class WarmUpFirst {
    public static void main(String[] args) throws IOException {
      boolean ran = HistoryWarmUp.run();
      System.out.println(ran + " " + SysProperties.BIND_ADDRESS);
    }
  }
}
