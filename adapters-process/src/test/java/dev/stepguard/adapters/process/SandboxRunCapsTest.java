package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole-run caps against {@code sandbox} isolation, and the per-run process cap that lets two
 * runs of the same user (nobody, as root) hold processes side by side.
 */
class SandboxRunCapsTest extends RunCapCases {
  private static final Bubblewrap BUBBLEWRAP = new Bubblewrap(System.getenv("PATH"));
  private static final ProcessLauncher LAUNCHER =
      new SandboxProcessLauncher(
          Pythons.onPath(System.getenv("PATH")),
          BUBBLEWRAP,
          new ProcessSettings(Path.of("/"), "python3", List.of()));

  @BeforeAll
  static void needsBubblewrap() {
    assumeTrue(
        BUBBLEWRAP.probe() instanceof Bubblewrap.Probe.Works,
        () -> "bubblewrap does not work here: " + BUBBLEWRAP.check().detail());
  }

  @Override
  ProcessLauncher launcher() {
    return LAUNCHER;
  }

  @Override
  ResourceCap uncappedProcesses() {
    return ResourceCap.USER;
  }

  @Test
  void aRunHoldingSixtyProcessesDoesNotMakeAnotherRunsForkFail() throws Exception {
    assumeTrue(HOST.pids().isPresent(), "no pids cgroup can be made here: " + HOST);
    project.script(
        "hold.py",
        "import json, os, time\n"
            + "children = []\n"
            + "for _ in range(62):\n"
            + "    pid = os.fork()\n"
            + "    if pid == 0:\n"
            + "        time.sleep(4)\n"
            + "        os._exit(0)\n"
            + "    children.append(pid)\n"
            + "for pid in children:\n"
            + "    os.waitpid(pid, 0)\n"
            + "print(json.dumps({'held': len(children)}))\n");
    project.script(
        "fork.py",
        "import json, os\n"
            + "pid = os.fork()\n"
            + "if pid == 0:\n"
            + "    os._exit(0)\n"
            + "os.waitpid(pid, 0)\n"
            + "print(json.dumps({'forked': True}))\n");
    Limits limits = Limits.defaults(LONG.toMillis());

    CompletableFuture<ExecutionRecord> holding =
        CompletableFuture.supplyAsync(() -> run("hold.py", limits));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (mostTasksInARun() < 60 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(mostTasksInARun()).as("tasks of the holding run").isGreaterThanOrEqualTo(60);
    ExecutionRecord other = run("fork.py", limits);
    ExecutionRecord held = holding.get(30, TimeUnit.SECONDS);

    assertThat(other.status()).as(other.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(other.usage().processCap()).isEqualTo(ResourceCap.RUN);
    assertThat(held.status()).as(held.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(held.output().get("held").asInt()).isEqualTo(62);
    assertNoCgroupLeft();
  }

  /** The most tasks the pids cgroup of any run of this test in progress holds now. */
  private long mostTasksInARun() {
    return cgroupsOf(store.running().stream().map(r -> r.id().value()).toList()).stream()
        .map(dir -> dir.resolve("pids.current"))
        .filter(Files::exists)
        .mapToLong(SandboxRunCapsTest::number)
        .max()
        .orElse(0);
  }

  private static long number(Path file) {
    try {
      return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
