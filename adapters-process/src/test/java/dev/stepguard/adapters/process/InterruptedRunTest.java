package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose thread is interrupted (a server stopping, a command line's Ctrl-C) is cleaned up on
 * that interrupted thread: what the script left behind is found and ended all the same, so what the
 * cleanup reads of {@code /proc} and of the run's cgroups must be I/O that an interrupt does not
 * refuse (as a {@code FileChannel} would, closing itself).
 */
class InterruptedRunTest {
  @TempDir Path temp;

  /** Double-forks a daemon in a session of its own, which writes its pid down; then waits. */
  private static String daemonThenWait(Path pidFile) {
    return "import os, time\n"
        + "if os.fork() == 0:\n"
        + "    os.setsid()\n"
        + "    if os.fork() == 0:\n"
        + "        open("
        + AdversarialCases.pythonString(pidFile + ".part")
        + ", 'w').write(str(os.getpid()))\n"
        + "        os.rename("
        + AdversarialCases.pythonString(pidFile + ".part")
        + ", "
        + AdversarialCases.pythonString(pidFile.toString())
        + ")\n"
        + "        time.sleep(60)\n"
        + "    os._exit(0)\n"
        + "time.sleep(60)\n";
  }

  @Test
  void endsTheDaemonOfARunInterruptedInItsCgroups() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        CgroupHost.current().memory().isPresent() || CgroupHost.current().pids().isPresent(),
        "stepguard gets no cgroups of its own here (an ordinary user's, often)");
    assertInterruptedRunLeavesNothing(
        new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH"))));
  }

  @Test
  void endsTheDaemonOfARunInterruptedWithoutCgroups() throws Exception {
    assertInterruptedRunLeavesNothing(
        new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")), CgroupHost.NONE));
  }

  @Test
  void endsTheDaemonOfAWarmRunInterruptedWithoutCgroups() throws Exception {
    assertInterruptedRunLeavesNothing(
        new LocalProcessLauncher(
            Pythons.onPath(System.getenv("PATH")),
            CgroupHost.NONE,
            List.of(),
            new ProcessSettings.Warm(true, 1)));
  }

  @Test
  void readsAProcessFromAnInterruptedThread() throws Exception {
    long me = ProcessHandle.current().pid();
    Thread.currentThread().interrupt();
    try {
      assertThat(ProcessIdentities.startTicks(me)).isPresent();
      assertThat(ProcessIdentities.state(me)).isNotEqualTo('X');
      assertThat(ProcessIdentities.of(ProcessHandle.current())).isPresent();
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
    }
  }

  private void assertInterruptedRunLeavesNothing(ProcessLauncher launcher) throws Exception {
    TestProject project = new TestProject(temp);
    Path pidFile = temp.resolve("daemon.pid");
    project.script("daemon.py", daemonThenWait(pidFile));
    Launch launch =
        new Launch(
            ExecutionId.random(),
            project.root(),
            new ScriptPath("daemon.py"),
            "{}".getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(50),
            Duration.ofSeconds(1),
            Limits.defaults(51_000),
            Map.of());
    AtomicReference<LaunchResult> result = new AtomicReference<>();
    Thread run = new Thread(() -> result.set(launcher.launch(launch)), "interrupted-run");
    run.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long daemon = -1;
    try {
      while (!Files.exists(pidFile) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(pidFile).as("the daemon wrote its pid").exists();
      daemon = Long.parseLong(Files.readString(pidFile).strip());
      run.interrupt();
      run.join(Duration.ofSeconds(30).toMillis());

      assertThat(run.isAlive()).as("the interrupted launch returned").isFalse();
      assertThat(result.get()).isNotNull();
      assertThat(Leftover.stillRuns(daemon)).as("the run's daemon %d still runs", daemon).isFalse();
    } finally {
      run.interrupt();
      if (daemon > 0) {
        ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }
}
