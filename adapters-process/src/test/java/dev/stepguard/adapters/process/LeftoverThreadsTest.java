package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process whose first thread ended while another thread runs shows as a zombie ({@code Z}) in
 * {@code /proc/PID/stat} and has no environment under its pid: the leftover sweep still finds it
 * (through its other threads) and ends it, cold and warm, with and without cgroups.
 */
class LeftoverThreadsTest {
  @TempDir Path temp;

  /** A tagged python whose main thread exits by SYS_exit while a second thread keeps sleeping. */
  private static final String LEADER_EXITS =
      "import ctypes, threading, time\n"
          + "threading.Thread(target=lambda: time.sleep(30)).start()\n"
          + "time.sleep(0.2)\n"
          + "ctypes.CDLL(None).syscall(60, 0)\n";

  @Test
  void findsATaggedProcessWhoseMainThreadExitedWhileAnotherRuns() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] tag = ("STEPGUARD_EXECUTION_ID=" + id + "\0").getBytes(StandardCharsets.UTF_8);
    ProcessBuilder builder = new ProcessBuilder("python3", "-c", LEADER_EXITS);
    builder.environment().put("STEPGUARD_EXECUTION_ID", id);
    Process process = builder.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (ProcessIdentities.state(process.pid()) != 'Z' && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(Files.list(Path.of("/proc", Long.toString(process.pid()), "task")).count())
          .as("threads still running in the process")
          .isPositive();

      assertThat(Leftovers.find(new HashSet<>(), tag, 0))
          .extracting(Leftovers.Found::pid)
          .contains(process.pid());
    } finally {
      new ProcessBuilder("kill", "-9", Long.toString(process.pid())).start().waitFor();
      process.waitFor();
    }
  }

  @Test
  void endsAChildWhoseMainThreadExitedWhenTheScriptDiesBySignal() throws Exception {
    assertRunLeavesNothing(new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH"))));
  }

  /** As on a host where stepguard gets no cgroups of its own (an ordinary user's, often). */
  @Test
  void endsAChildWhoseMainThreadExitedWhenTheScriptDiesBySignalWithoutCgroups() throws Exception {
    assertRunLeavesNothing(
        new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")), CgroupHost.NONE));
  }

  /** As above, warm. */
  @Test
  void endsAChildWhoseMainThreadExitedWhenTheScriptDiesBySignalWarmWithoutCgroups()
      throws Exception {
    assertRunLeavesNothing(
        new LocalProcessLauncher(
            Pythons.onPath(System.getenv("PATH")),
            CgroupHost.NONE,
            java.util.List.of(),
            new ProcessSettings.Warm(true, 1)));
  }

  private void assertRunLeavesNothing(ProcessLauncher launcher) throws Exception {
    Path root = Files.createDirectories(temp.resolve("p"));
    Path beacon = temp.resolve("beacon");
    Path pidFile = temp.resolve("pid");
    Files.writeString(
        root.resolve("leaves.py"),
        "import ctypes, os, signal, threading, time\n"
            + "beacon, pid_file = "
            + AdversarialCases.pythonString(beacon.toString())
            + ", "
            + AdversarialCases.pythonString(pidFile.toString())
            + "\n"
            + "if os.fork() == 0:\n"
            + "    open(pid_file, 'w').write(str(os.getpid()))\n"
            + "    def beat():\n"
            + "        while True:\n"
            + "            open(beacon, 'a').write('x')\n"
            + "            time.sleep(0.05)\n"
            + "    threading.Thread(target=beat).start()\n"
            + "    ctypes.CDLL(None).syscall(60, 0)\n"
            + "while not os.path.exists(beacon):\n"
            + "    time.sleep(0.01)\n"
            + "time.sleep(0.2)\n"
            + "os.kill(os.getpid(), signal.SIGKILL)\n");
    ScriptExecutor executor =
        new ScriptExecutor(
            new FilesystemPathPolicy(root),
            launcher,
            new InMemoryExecutionStore(),
            new ProcfsProcessTable(),
            Redactor.defaults(),
            Clock.systemUTC());
    ExecutionRecord record =
        executor.execute(
            ExecutionRequest.standalone(
                "leaves.py",
                "{}",
                Duration.ofSeconds(20),
                Duration.ofSeconds(1),
                Limits.defaults(21_000),
                Requester.cli("test")));
    try {
      Thread.sleep(1000);
      long before = Files.size(beacon);
      Thread.sleep(1000);
      assertThat(Files.size(beacon))
          .as("beacon of the child left by run %s (%s)", record.id(), record.status())
          .isEqualTo(before);
    } finally {
      if (Files.exists(pidFile)) {
        new ProcessBuilder("kill", "-9", Files.readString(pidFile).strip()).start().waitFor();
      }
    }
  }
}
