package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caps over a whole run (issue 9 section 4, case 43) against the launcher a subclass names:
 * where the host lets stepguard make cgroups, a run's memory and processes are capped together and
 * the record says so; elsewhere the record says which per-process cap held instead.
 */
abstract class RunCapCases {
  static final Duration LONG = Duration.ofSeconds(30);
  static final CgroupHost HOST = CgroupHost.current();

  @TempDir Path temp;
  TestProject project;
  final InMemoryExecutionStore store = new InMemoryExecutionStore();

  abstract ProcessLauncher launcher();

  /** What caps a run's processes where no pids cgroup can be made. */
  abstract ResourceCap uncappedProcesses();

  @BeforeEach
  void createProject() {
    project = new TestProject(temp);
  }

  /** The ids of the runs this test started, whose cgroups it checks (other builds may run too). */
  final Queue<String> ran = new ConcurrentLinkedQueue<>();

  ExecutionRecord run(String script, Limits limits) {
    ScriptExecutor executor =
        new ScriptExecutor(
            new FilesystemPathPolicy(project.root()),
            launcher(),
            store,
            new ProcfsProcessTable(),
            Redactor.defaults(),
            Clock.systemUTC());
    ExecutionRecord record =
        executor.execute(
            ExecutionRequest.standalone(
                script, "{}", LONG, Duration.ofSeconds(1), limits, Requester.cli("test")));
    ran.add(record.id().value());
    return record;
  }

  static Limits processes(long processes) {
    Limits d = Limits.defaults(LONG.toMillis());
    return new Limits(
        d.cpuTimeMs(),
        d.memoryBytes(),
        d.fileSizeBytes(),
        d.openFiles(),
        processes,
        d.stdoutBytes(),
        d.stderrTailBytes(),
        d.inputBytes(),
        d.jsonDepth(),
        d.tmpBytes());
  }

  @Test
  void recordsWhichCapsHeldTheRun() {
    project.script("ok.py", "print('{}')\n");

    ExecutionRecord record = run("ok.py", Limits.defaults(LONG.toMillis()));

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.usage().memoryCap())
        .isEqualTo(HOST.memory().isPresent() ? ResourceCap.RUN : ResourceCap.PROCESS);
    assertThat(record.usage().processCap())
        .isEqualTo(HOST.pids().isPresent() ? ResourceCap.RUN : uncappedProcesses());
    assertThat(record.usage().runPeakKib() > 0).isEqualTo(HOST.memory().isPresent());
  }

  // 43
  @Test
  void capsTheMemoryOfEightChildrenTogether() {
    assumeTrue(HOST.memory().isPresent(), "no memory cgroup can be made here: " + HOST);
    project.script(
        "eight.py",
        "import json, os, time\n"
            + "children = []\n"
            + "for _ in range(8):\n"
            + "    pid = os.fork()\n"
            + "    if pid == 0:\n"
            + "        block = b'\\x01' * (900 << 20)\n"
            + "        time.sleep(3)\n"
            + "        os._exit(0)\n"
            + "    children.append(pid)\n"
            + "killed = sum(os.WIFSIGNALED(os.waitpid(pid, 0)[1]) for pid in children)\n"
            + "print(json.dumps({'killed': killed}))\n");
    Limits limits = Limits.defaults(LONG.toMillis());

    ExecutionRecord record = run("eight.py", limits);

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.LIMIT_EXCEEDED);
    assertThat(record.error().code()).isEqualTo("LIMIT_MEMORY");
    assertThat(record.error().message()).contains("together", "1 GiB");
    assertThat(record.usage().memoryCap()).isEqualTo(ResourceCap.RUN);
    assertThat(record.usage().runPeakKib()).isBetween(900L << 10, limits.memoryBytes() >> 10);
    assertNoCgroupLeft();
  }

  @Test
  void capsTheProcessesOfOneRun() {
    assumeTrue(HOST.pids().isPresent(), "no pids cgroup can be made here: " + HOST);
    project.script(
        "forks.py",
        "import json, os, time\n"
            + "started = 0\n"
            + "try:\n"
            + "    for _ in range(100):\n"
            + "        if os.fork() == 0:\n"
            + "            time.sleep(3)\n"
            + "            os._exit(0)\n"
            + "        started += 1\n"
            + "except OSError:\n"
            + "    pass\n"
            + "print(json.dumps({'started': started}))\n");

    ExecutionRecord record = run("forks.py", processes(20));

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("started").asInt()).isBetween(10, 19);
    assertThat(record.usage().processCap()).isEqualTo(ResourceCap.RUN);
  }

  @Test
  void leavesNoCgroupBehindAfterItsRuns() {
    assumeTrue(HOST.memory().isPresent() || HOST.pids().isPresent(), "no cgroup here: " + HOST);
    project
        .script("ok.py", "print('{}')\n")
        .script("crash.py", Scripts.SEGFAULT)
        .script(
            "child.py",
            "import json, subprocess, sys\n"
                + "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(10**6)'])\n"
                + "print('{}')\n")
        .script("hog.py", "blocks = []\nwhile True:\n    blocks.append(b'x' * 10**7)\n");

    for (String script : List.of("ok.py", "crash.py", "child.py", "hog.py", "ok.py")) {
      assertThat(run(script, Limits.defaults(LONG.toMillis())).status())
          .isNotEqualTo(Status.LAUNCH_FAILED);
    }

    assertNoCgroupLeft();
  }

  /** No cgroup of a run this test started is left. */
  void assertNoCgroupLeft() {
    assertThat(cgroupsOf(ran)).isEmpty();
  }

  /** The cgroups of the runs {@code runIds} under stepguard's own cgroups. */
  static List<Path> cgroupsOf(Collection<String> runIds) {
    Set<String> names =
        runIds.stream().map(id -> RunCgroup.PREFIX + id).collect(Collectors.toSet());
    return Stream.of(HOST.memory(), HOST.pids())
        .flatMap(Optional::stream)
        .flatMap(parent -> children(parent.directory()))
        .filter(dir -> names.contains(dir.getFileName().toString()))
        .toList();
  }

  static Stream<Path> children(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(Files::isDirectory).toList().stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }
}
