package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a warm run forks without exec carries the run's id where stepguard looks for leftovers, as a
 * cold run's processes do: a daemon that double-forks and outlives its crashed script is found and
 * killed even where there are no cgroups to find it by.
 */
class WarmLeftoversTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final String DAEMON =
      "import os, signal, sys, time\n"
          + "if os.fork() == 0:\n"
          + "    os.setsid()\n"
          + "    if os.fork() == 0:\n"
          + "        signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
          + "        environ = open('/proc/self/environ', 'rb').read()\n"
          + "        open('daemon.txt', 'w').write('%d %s' % (os.getpid(),\n"
          + "            [v for v in environ.split(b'\\0') if v.startswith(b'STEPGUARD_EXECUTION_ID=')]))\n"
          + "        while True:\n"
          + "            time.sleep(0.1)\n"
          + "    os._exit(0)\n"
          + "while not os.path.exists('daemon.txt'):\n"
          + "    time.sleep(0.05)\n"
          + "os.kill(os.getpid(), signal.SIGKILL)\n";

  @TempDir Path temp;
  private Optional<ProcessHandle> daemon = Optional.empty();

  @AfterEach
  void killTheDaemonIfTheTestFailed() {
    daemon.ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void aDaemonForkedWithoutExecOutlivesNoCrashedWarmRunWithoutCgroups() throws Exception {
    TestProject project = new TestProject(temp);
    project.script("daemon.py", DAEMON);
    ProcessLauncher warm =
        new LocalProcessLauncher(
            Pythons.onPath(System.getenv("PATH")),
            CgroupHost.NONE,
            List.of(),
            new ProcessSettings.Warm(true, 1));

    ExecutionRecord record = run(warm, project);

    assertThat(record.status()).isEqualTo(Status.CRASHED);
    String[] written =
        Files.readString(project.root().resolve("daemon.txt"), StandardCharsets.UTF_8)
            .split(" ", 2);
    daemon = ProcessHandle.of(Long.parseLong(written[0]));
    assertThat(written[1]).contains("STEPGUARD_EXECUTION_ID=" + record.id().value());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (daemon.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(daemon.map(ProcessHandle::isAlive).orElse(false))
        .as("the daemon %s outlived its run", written[0])
        .isFalse();
  }

  private static ExecutionRecord run(ProcessLauncher launcher, TestProject project) {
    return new ScriptExecutor(
            new FilesystemPathPolicy(project.root()),
            launcher,
            new InMemoryExecutionStore(),
            new ProcfsProcessTable(),
            Redactor.defaults(),
            Clock.systemUTC())
        .execute(
            ExecutionRequest.standalone(
                "daemon.py",
                "{}",
                TIMEOUT,
                GRACE,
                Limits.defaults(TIMEOUT.plus(GRACE).toMillis()),
                Requester.cli("test")));
  }
}
