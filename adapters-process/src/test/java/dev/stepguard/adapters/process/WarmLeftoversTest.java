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
 * What a warm run does to processes beyond its own script stays its own: a daemon it forks without
 * exec carries the run's id where stepguard looks for leftovers, as a cold run's processes do
 * (found and killed even where there are no cgroups to find it by), and the waiting children it
 * stops are not handed to the next runs.
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
          // written whole before it appears: the run waits for the file, the test reads it
          + "        open('daemon.tmp', 'w').write('%d %s' % (os.getpid(),\n"
          + "            [v for v in environ.split(b'\\0') if v.startswith(b'STEPGUARD_EXECUTION_ID=')]))\n"
          + "        os.rename('daemon.tmp', 'daemon.txt')\n"
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

  @Test
  void childrenAScriptStoppedWhileTheyWaitedAreNotHandedToTheNextRuns() throws Exception {
    TestProject project = new TestProject(temp);
    project.script(
        "stop.py",
        "import json, os, signal\n"
            + "parent, stopped = os.getppid(), []\n"
            + "for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
            + "    try:\n"
            + "        ppid = int(open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()[1])\n"
            + "    except (OSError, ValueError, IndexError):\n"
            + "        continue\n"
            + "    if ppid == parent and pid != os.getpid():\n"
            + "        os.kill(pid, signal.SIGSTOP)\n"
            + "        stopped.append(pid)\n"
            + "print(json.dumps({'stopped': stopped}))\n");
    project.script("hello.py", "print('{}')\n");
    ProcessLauncher warm =
        new LocalProcessLauncher(
            Pythons.onPath(System.getenv("PATH")),
            CgroupHost.NONE,
            List.of(),
            new ProcessSettings.Warm(true, 3));

    ExecutionRecord stopper = run(warm, project, "stop.py");
    List<ExecutionRecord> next =
        List.of(run(warm, project, "hello.py"), run(warm, project, "hello.py"));

    assertThat(stopper.output().get("stopped")).isNotEmpty();
    assertThat(next).allSatisfy(record -> assertThat(record.status()).isEqualTo(Status.SUCCEEDED));
  }

  private static ExecutionRecord run(ProcessLauncher launcher, TestProject project) {
    return run(launcher, project, "daemon.py");
  }

  private static ExecutionRecord run(ProcessLauncher launcher, TestProject project, String script) {
    return new ScriptExecutor(
            new FilesystemPathPolicy(project.root()),
            launcher,
            new InMemoryExecutionStore(),
            new ProcfsProcessTable(),
            Redactor.defaults(),
            Clock.systemUTC())
        .execute(
            ExecutionRequest.standalone(
                script,
                "{}",
                TIMEOUT,
                GRACE,
                Limits.defaults(TIMEOUT.plus(GRACE).toMillis()),
                Requester.cli("test")));
  }
}
