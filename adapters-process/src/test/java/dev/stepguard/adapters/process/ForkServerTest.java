package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.Interpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fork server that forks nothing costs a run no more than its wait, and stopping a server gives
 * up the forks it asked for: their nonces open no run's streams any more.
 */
class ForkServerTest {
  @TempDir Path temp;

  private final Map<String, ForkServer.Pending> forks = new ConcurrentHashMap<>();

  /** A fork server that reads every request and answers none, its report pipe kept open. */
  private ForkServer silent() throws Exception {
    Path python = temp.resolve("python");
    Files.writeString(
        python, "#!/bin/sh\necho $$ >" + temp.resolve("pid") + "\nexec cat 3>&1 >/dev/null\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
    PythonLocator.Discovery.Found found =
        new PythonLocator.Discovery.Found(
            python, python, new Interpreter(python.toString(), "3.12.1"), new byte[] {1});
    return ForkServer.start(
        found, temp, temp.resolve("s"), Map.of("PATH", "/usr/bin:/bin"), 2, forks, CgroupHost.NONE);
  }

  /** The fork server's process, once it has said its pid. */
  private long serverPid() throws Exception {
    Path pid = temp.resolve("pid");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!(Files.exists(pid) && Files.size(pid) > 0) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return Leftover.pids(pid).get(0);
  }

  @Test
  void givesNoChildWhenTheServerForksNoneInTimeAndAsksNoMoreThanItsPool() throws Exception {
    ForkServer server = silent();
    try {
      assertThat(server.take(Duration.ofMillis(200))).isEmpty();

      assertThat(forks).hasSize(2);
    } finally {
      server.stop();
      assertThat(Leftover.stillRuns(serverPid())).isFalse();
    }
  }

  @Test
  void stoppingGivesUpTheForksItAskedFor() throws Exception {
    ForkServer server = silent();
    assertThat(forks).hasSize(2);

    long pid = serverPid();

    server.stop();

    assertThat(server.alive()).isFalse();
    assertThat(forks).isEmpty();
    assertThat(Leftover.stillRuns(pid)).as("the server exits once stopped").isFalse();
  }
}
