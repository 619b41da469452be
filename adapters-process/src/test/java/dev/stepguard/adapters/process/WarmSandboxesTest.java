package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Guice;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sandboxes started ahead of their runs: each serves one run, sees nothing of the run before, dies
 * with its run on timeout or cancellation, is never taken dead, and none outlives the pool.
 * Skipped, with the reason, where bubblewrap cannot run.
 */
class WarmSandboxesTest {
  private static final Bubblewrap BUBBLEWRAP = new Bubblewrap(System.getenv("PATH"));
  private static final Duration LONG = Duration.ofSeconds(20);
  private static final Duration READY_WITHIN = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;
  private TestProject project;
  private SandboxProcessLauncher launcher;
  private WarmSandboxes pool;

  /** A run's result and the process it ran in. */
  private record Ran(LaunchResult result, ProcessIdentity process) {
    JsonNode output() throws Exception {
      return JSON.readTree(((LaunchResult.Completed) result).stdout());
    }

    ProcessEnd end() {
      return ((LaunchResult.Completed) result).end();
    }
  }

  @BeforeAll
  static void needsBubblewrap() {
    assumeTrue(
        BUBBLEWRAP.probe() instanceof Bubblewrap.Probe.Works,
        () -> "bubblewrap does not work here: " + BUBBLEWRAP.check().detail());
  }

  @BeforeEach
  void startPool() {
    project = new TestProject(temp);
    launcher = launcherWithPool(1);
    pool = launcher.warm().orElseThrow();
  }

  private static SandboxProcessLauncher launcherWithPool(int size) {
    return new SandboxProcessLauncher(
        Pythons.onPath(System.getenv("PATH")),
        BUBBLEWRAP,
        new ProcessSettings(Path.of("/"), "python3", List.of()),
        CgroupHost.current(),
        size);
  }

  @AfterEach
  void closePool() {
    launcher.close();
  }

  @Test
  void theSandboxStartedAheadPreloadsFromTheStandardLibraryNeverFromTheProject() throws Exception {
    project.script("json.py", "raise SystemExit('the project json.py was imported')\n");
    project.script("re.py", "raise SystemExit('the project re.py was imported')\n");
    project.script(
        "which.py",
        "import sys\n"
            + "print('{\"json\": \"%s\", \"re\": \"%s\"}' % ("
            + "sys.modules['json'].__file__, sys.modules['re'].__file__))\n");

    waitingAfterPrestart();
    Ran ran = run("which.py");

    assertThat(ran.end()).isEqualTo(new ProcessEnd.Exited(0));
    JsonNode seen = ran.output();
    assertThat(seen.get("json").asText()).doesNotStartWith(project.root().toString());
    assertThat(seen.get("re").asText()).doesNotStartWith(project.root().toString());
  }

  @Test
  void aRunSeesNothingThePreviousRunLeftInTmpHomeEnvironmentProcessesOrMemory() throws Exception {
    project.script(
        "leave.py",
        "import builtins, json, os, subprocess, sys\n"
            + "open('/tmp/left', 'w').write('x')\n"
            + "open(os.path.join(os.environ['HOME'], 'home-left'), 'w').write('x')\n"
            + "os.environ['LEFT_ENVIRON'] = '1'\n"
            + "os.putenv('LEFT_PUTENV', '1')\n"
            + "subprocess.Popen(['sleep', '600'], start_new_session=True)\n"
            + "builtins.left_in_memory = 1\n"
            + "json.left_in_module = 1\n"
            + "print(json.dumps({'pid': os.getpid()}))\n");
    project.script(
        "look.py",
        "import builtins, json, os, sys\n"
            + "print(json.dumps({\n"
            + "  'tmp': sorted(os.listdir('/tmp')),\n"
            + "  'home': sorted(os.listdir(os.environ['HOME'])),\n"
            + "  'environ': sorted(k for k in os.environ if k.startswith('LEFT')),\n"
            + "  'processes': sorted(int(p) for p in os.listdir('/proc') if p.isdigit()),\n"
            + "  'memory': hasattr(builtins, 'left_in_memory'),\n"
            + "  'module': hasattr(json, 'left_in_module'),\n"
            + "  'pid': os.getpid()}))\n");

    List<Long> first = waitingAfterPrestart();
    Ran leave = run("leave.py");
    List<Long> second = waiting();
    Ran look = run("look.py");

    assertThat(leave.end()).isEqualTo(new ProcessEnd.Exited(0));
    assertThat(first).contains(leave.process().pid());
    assertThat(second).contains(look.process().pid()).doesNotContain(leave.process().pid());
    JsonNode seen = look.output();
    assertThat(seen.get("tmp").toString()).doesNotContain("left");
    assertThat(seen.get("home").toString()).doesNotContain("left");
    assertThat(seen.get("environ").size()).as(seen.toString()).isZero();
    assertThat(seen.get("memory").asBoolean()).isFalse();
    assertThat(seen.get("module").asBoolean()).isFalse();
    assertThat(seen.get("processes").toString())
        .as("only bubblewrap's init and the script itself")
        .isEqualTo("[1," + seen.get("pid").asInt() + "]");
  }

  @Test
  void aTimeoutKillsEveryProcessOfTheSandboxStartedAhead() throws Exception {
    project.script("sleep.py", "import time\ntime.sleep(600)\n");
    List<ProcessHandle> tree = tree(waitingAfterPrestart());

    Ran ran = run("sleep.py", Duration.ofSeconds(1), new Cancellation());

    assertThat(ran.end()).isInstanceOf(ProcessEnd.DeadlinePassed.class);
    assertGone(tree);
  }

  @Test
  void aCancelledRunKillsEveryProcessOfTheSandboxStartedAhead() throws Exception {
    project.script("sleep.py", "import time\nprint('up', flush=True)\ntime.sleep(600)\n");
    List<ProcessHandle> tree = tree(waitingAfterPrestart());
    Cancellation cancellation = new Cancellation();
    CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS)
        .execute(() -> cancellation.request(CancelRequest.bySignal("SIGINT", "test")));

    Ran ran = run("sleep.py", LONG, cancellation);

    assertThat(ran.end()).isInstanceOf(ProcessEnd.Cancelled.class);
    assertGone(tree);
  }

  @Test
  void aSandboxWhoseBubblewrapDiedIsNotTakenAndTheRunStillSucceeds() throws Exception {
    project.script("hi.py", "print('{\"hi\": 1}')\n");
    List<Long> waiting = waitingAfterPrestart();
    Process dead = pool.waiting().get(0);
    dead.destroyForcibly().waitFor();

    Ran ran = run("hi.py");

    assertThat(ran.end()).isEqualTo(new ProcessEnd.Exited(0));
    assertThat(ran.output().get("hi").asInt()).isEqualTo(1);
    assertThat(waiting).doesNotContain(ran.process().pid());
  }

  @Test
  void aRunOfAnotherShapeStartsItsOwnSandbox() throws Exception {
    project.script("hi.py", "print('{\"hi\": 1}')\n");
    List<Long> waiting = waitingAfterPrestart();
    Limits otherTmp = Limits.defaults(20_000);
    otherTmp =
        new Limits(
            otherTmp.cpuTimeMs(),
            otherTmp.memoryBytes(),
            otherTmp.fileSizeBytes(),
            otherTmp.openFiles(),
            otherTmp.processes(),
            otherTmp.stdoutBytes(),
            otherTmp.stderrTailBytes(),
            otherTmp.inputBytes(),
            otherTmp.jsonDepth(),
            otherTmp.tmpBytes() / 2);

    Ran ran = run("hi.py", LONG, new Cancellation(), otherTmp);

    assertThat(ran.end()).isEqualTo(new ProcessEnd.Exited(0));
    assertThat(waiting).doesNotContain(ran.process().pid());
  }

  @Test
  void closingThePoolLeavesNoProcessBehindAndRunsThenStartCold() throws Exception {
    project.script("hi.py", "print('{\"hi\": 1}')\n");
    List<ProcessHandle> tree = tree(waitingAfterPrestart());

    launcher.close();

    assertThat(tree).hasSizeGreaterThanOrEqualTo(3).noneMatch(ProcessHandle::isAlive);
    assertThat(pool.waiting()).isEmpty();
    assertThat(AdversarialCases.strayDescendants()).isEmpty();
    assertThat(run("hi.py").end()).isEqualTo(new ProcessEnd.Exited(0));
    assertThat(pool.waiting()).isEmpty();
  }

  /**
   * On two cores a bubblewrap and a Python starting beside a run take the CPU the run needs: while
   * another sandbox of its shape waits, a taken one is replaced once its run is over.
   */
  @Test
  void aTakenSandboxIsReplacedOnceItsRunIsOverWhileAnotherWaits() throws Exception {
    launcher.close();
    launcher = launcherWithPool(2);
    pool = launcher.warm().orElseThrow();
    waitingAfterPrestart();
    assertThat(waitingAtLeast(2)).hasSize(2);

    assertThat(waitingOneSecondIntoASlowRun()).as("waiting while the run went on").hasSize(1);
    assertThat(waitingAtLeast(2)).as("waiting once it was over").hasSize(2);
  }

  /** When none of its shape is left waiting, the next run's sandbox starts at once. */
  @Test
  void theLastWaitingSandboxIsReplacedAsSoonAsItIsTaken() throws Exception {
    waitingAfterPrestart();

    assertThat(waitingOneSecondIntoASlowRun()).as("waiting while the run went on").hasSize(1);
  }

  @Test
  void thePoolHoldsOneToSixtyFourSandboxes() {
    assertThatThrownBy(() -> new WarmSandboxes(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WarmSandboxes(65)).isInstanceOf(IllegalArgumentException.class);
    assertThatCode(() -> new WarmSandboxes(1).close()).doesNotThrowAnyException();
    assertThatCode(() -> new WarmSandboxes(64).close()).doesNotThrowAnyException();
    assertThatThrownBy(() -> new SandboxLauncherModule(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SandboxLauncherModule(65))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theModuleBuildsALauncherWithItsPool() {
    ProcessLauncher built =
        Guice.createInjector(
                new ProcessAdapterModule(
                    new ProcessSettings(project.root(), ProcessSettings.DEFAULT_PYTHON)),
                new SandboxLauncherModule(3))
            .getInstance(ProcessLauncher.class);

    assertThat(built).isInstanceOf(SandboxProcessLauncher.class);
    try (SandboxProcessLauncher sandbox = (SandboxProcessLauncher) built) {
      assertThat(sandbox.warm()).isPresent();
    }
  }

  private Ran run(String script) {
    return run(script, LONG, new Cancellation());
  }

  private Ran run(String script, Duration timeout, Cancellation cancellation) {
    return run(script, timeout, cancellation, Limits.defaults(20_000));
  }

  private Ran run(String script, Duration timeout, Cancellation cancellation, Limits limits) {
    AtomicReference<ProcessIdentity> process = new AtomicReference<>();
    LaunchResult result =
        launcher.launch(
            new Launch(
                ExecutionId.random(),
                project.root(),
                new ScriptPath(script),
                "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                timeout,
                Duration.ofMillis(500),
                limits,
                Map.of(),
                process::set,
                cancellation));
    assertThat(result).as(result.toString()).isInstanceOf(LaunchResult.Completed.class);
    return new Ran(result, process.get());
  }

  private List<Long> waitingAfterPrestart() {
    launcher.prestart(
        new Launch(
            ExecutionId.random(),
            project.root(),
            new ScriptPath("unused.py"),
            new byte[0],
            LONG,
            Duration.ofMillis(500),
            Limits.defaults(20_000),
            Map.of()));
    return waiting();
  }

  /** The pids of the sandboxes that wait, once one waits with its interpreter started. */
  private List<Long> waiting() {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline
        && (pool.waiting().isEmpty() || tree(List.of(pool.waiting().get(0).pid())).size() < 3)) {
      LockSupport.parkNanos(1_000_000);
    }
    return pool.waiting().stream().map(Process::pid).toList();
  }

  /** The sandboxes waiting one second into a run of two seconds, looked at without waiting. */
  private List<Process> waitingOneSecondIntoASlowRun() throws Exception {
    project.script("slow.py", "import time\ntime.sleep(2)\nprint('{}')\n");
    CompletableFuture<Ran> slow = CompletableFuture.supplyAsync(() -> run("slow.py"));
    Thread.sleep(1000);
    List<Process> waiting = pool.waiting();
    assertThat(slow.isDone()).as("the run still went on when the pool was looked at").isFalse();
    slow.get(30, TimeUnit.SECONDS);
    return waiting;
  }

  /** The sandboxes waiting once {@code count} wait, or those waiting when it took too long. */
  private List<Process> waitingAtLeast(int count) {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline && pool.waiting().size() < count) {
      LockSupport.parkNanos(1_000_000);
    }
    return pool.waiting();
  }

  /** The run's processes are killed as it ends, and gone soon after (they are not waited for). */
  private static void assertGone(List<ProcessHandle> tree) {
    assertThat(tree).hasSizeGreaterThanOrEqualTo(3);
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline && tree.stream().anyMatch(ProcessHandle::isAlive)) {
      LockSupport.parkNanos(1_000_000);
    }
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
  }

  private static List<ProcessHandle> tree(List<Long> pids) {
    return pids.stream()
        .flatMap(pid -> ProcessHandle.of(pid).stream())
        .flatMap(root -> Stream.concat(Stream.of(root), root.descendants()))
        .toList();
  }
}
