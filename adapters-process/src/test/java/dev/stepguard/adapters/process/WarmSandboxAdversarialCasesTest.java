package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Every adversarial case of {@code sandbox} isolation, each run taking a sandbox started ahead of
 * it: before each run the pool is filled for the run's shape, and the run must take one of the
 * waiting sandboxes (its process is one of them), never start its own.
 */
class WarmSandboxAdversarialCasesTest extends SandboxAdversarialCasesTest {
  private static final Duration READY_WITHIN = Duration.ofSeconds(10);

  private final List<SandboxProcessLauncher> launchers = new ArrayList<>();
  private SandboxProcessLauncher launcher;

  @BeforeEach
  void startPool() {
    launcher = warm(Pythons.onPath(System.getenv("PATH")));
  }

  @AfterEach
  void closePools() {
    launchers.forEach(SandboxProcessLauncher::close);
  }

  @Override
  ProcessLauncher launcher() {
    return launcher;
  }

  @Override
  ProcessLauncher launcher(PythonLocator python) {
    return warm(python);
  }

  @Override
  ProcessLauncher launcher(ProcessSettings settings) {
    return warm(Pythons.onPath(System.getenv("PATH")), settings);
  }

  /** What is left besides the sandbox that waits for the next run, once it waits. */
  @Override
  List<ProcessHandle> leftBehind() {
    Set<Long> waiting =
        waiting(launcher.warm().orElseThrow()).stream()
            .flatMap(pid -> ProcessHandle.of(pid).stream())
            .flatMap(sandbox -> Stream.concat(Stream.of(sandbox), sandbox.descendants()))
            .map(ProcessHandle::pid)
            .collect(Collectors.toSet());
    return super.leftBehind().stream().filter(left -> !waiting.contains(left.pid())).toList();
  }

  @Override
  ExecutionRecord run(
      ProcessLauncher launcher, String script, String input, Duration timeout, Limits limits) {
    if (!(launcher instanceof SandboxProcessLauncher sandbox) || sandbox.warm().isEmpty()) {
      return super.run(launcher, script, input, timeout, limits);
    }
    List<Long> waiting = prestarted(sandbox, limits, timeout);
    ExecutionRecord record = super.run(launcher, script, input, timeout, limits);
    if (record.process() != null) {
      assertThat(waiting)
          .as("the run took a sandbox started ahead of it")
          .contains(record.process().pid());
    }
    return record;
  }

  private SandboxProcessLauncher warm(PythonLocator python) {
    return warm(python, new ProcessSettings(Path.of("/"), "python3", List.of()));
  }

  private SandboxProcessLauncher warm(PythonLocator python, ProcessSettings settings) {
    SandboxProcessLauncher made =
        new SandboxProcessLauncher(
            python, new Bubblewrap(System.getenv("PATH")), settings, CgroupHost.current(), 1);
    launchers.add(made);
    return made;
  }

  /** Fills the pool for a run of this project with {@code limits}; the pids that wait. */
  private List<Long> prestarted(SandboxProcessLauncher sandbox, Limits limits, Duration timeout) {
    sandbox.prestart(
        new Launch(
            ExecutionId.random(),
            project.root(),
            new ScriptPath("unused.py"),
            new byte[0],
            timeout,
            GRACE,
            limits,
            Map.of()));
    return waiting(sandbox.warm().orElseThrow());
  }

  /** The pids of the sandboxes that wait, once one does. */
  private static List<Long> waiting(WarmSandboxes pool) {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (pool.waiting().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return pool.waiting().stream().map(Process::pid).toList();
  }
}
