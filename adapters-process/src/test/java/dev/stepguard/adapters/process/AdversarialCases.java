package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessLauncher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The adversarial cases that hold for every isolation level, run through the real executor and path
 * policy against the launcher a subclass names: a misbehaving script and a hostile request (threats
 * 1 and 3 of docs/security.md). The number above a test is its case number, in the numbering
 * docs/security.md uses; the test's name says what the case checks.
 */
abstract class AdversarialCases {
  static final Duration LONG = Duration.ofSeconds(20);
  static final Duration SHORT = Duration.ofSeconds(1);
  static final Duration GRACE = Duration.ofMillis(1000);
  static final String DEBIAN_PYTHON = "/usr/bin/python3";

  @TempDir Path temp;
  TestProject project;
  final InMemoryExecutionStore store = new InMemoryExecutionStore();

  /** The launcher under test. */
  abstract ProcessLauncher launcher();

  /** The launcher under test, with another interpreter. */
  abstract ProcessLauncher launcher(PythonLocator python);

  private static String commandLine(ProcessHandle process) {
    try {
      return new String(
          Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @BeforeEach
  void createProject() {
    project = new TestProject(temp);
  }

  ExecutionRecord run(String script, String input, Duration timeout, Limits limits) {
    return run(launcher(), script, input, timeout, limits);
  }

  /** Runs {@code script} in the test project through the real executor and {@code launcher}. */
  ExecutionRecord run(
      ProcessLauncher launcher, String script, String input, Duration timeout, Limits limits) {
    ScriptExecutor executor =
        new ScriptExecutor(
            new FilesystemPathPolicy(project.root()),
            launcher,
            store,
            new ProcfsProcessTable(),
            Redactor.defaults(),
            Clock.systemUTC());
    return executor.execute(
        ExecutionRequest.standalone(script, input, timeout, GRACE, limits, Requester.cli("test")));
  }

  /** A run with stepguard's default limits: CPU time is the timeout plus the grace period. */
  ExecutionRecord run(String script, Duration timeout) {
    return run(script, "{}", timeout, Limits.defaults(timeout.plus(GRACE).toMillis()));
  }

  ExecutionRecord run(String script) {
    return run(script, LONG);
  }

  static Limits limits(long cpuMs, long memory, long fileSize, long stdout) {
    Limits d = Limits.defaults(cpuMs);
    return new Limits(
        cpuMs,
        memory,
        fileSize,
        d.openFiles(),
        d.processes(),
        stdout,
        d.stderrTailBytes(),
        d.inputBytes(),
        d.jsonDepth(),
        d.tmpBytes());
  }

  @Test
  void recordsTheProcessThatRanTheScript() {
    project.script("pid.py", "import os, time\ntime.sleep(0.2)\nprint('{}')\n");

    ExecutionRecord record = run("pid.py");

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.process()).isNotNull();
    assertThat(record.process().host()).isEqualTo(new ProcfsProcessTable().self().host());
    assertThat(record.process().startedAt())
        .isBetween(record.startedAt().minusSeconds(1), record.finishedAt());
    assertThat(record.supervisor()).isEqualTo(new ProcfsProcessTable().self());
    assertThat(store.find(record.id())).contains(record);
  }

  // 1
  @ParameterizedTest
  @ValueSource(strings = {"../outside.py", "/abs/x.py", "scripts/../../x.py"})
  void rejectsPathsOutsideTheProjectAndStartsNothing(String script) throws Exception {
    Path marker = temp.resolve("ran");
    String writesMarker = "open(" + pythonString(marker.toString()) + ", 'w').write('x')\n";
    project.file(temp.resolve("outside.py"), writesMarker);
    project.file(temp.resolve("x.py"), writesMarker);

    ExecutionRecord record = run(script);

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(record.exitCode()).isNull();
    assertThat(Files.exists(marker)).isFalse();
  }

  // 2
  @Test
  void rejectsASiblingDirectorySharingThePrefix() {
    project.file(temp.resolve("proj-evil/a.py"), "print('{}')");

    ExecutionRecord record = run("../proj-evil/a.py");

    assertThat(record.status()).isEqualTo(Status.REJECTED);
  }

  // 3
  @ParameterizedTest
  @ValueSource(strings = {"a\u0000.py", "scripts\\a.py", "a\nb.py", "a\u001b.py"})
  void rejectsNulBackslashAndControlCharacters(String script) {
    ExecutionRecord record = run(script);

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(record.error().message()).contains("the path contains");
  }

  // 4
  @Test
  void rejectsALinkToAFileOutsideTheProject() {
    project.file(temp.resolve("secret.py"), "print('{}')");
    project.link("link.py", temp.resolve("secret.py"));

    ExecutionRecord record = run("link.py");

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(record.error().message()).contains("outside the project");
  }

  // 5
  @Test
  void rejectsADirectoryLinkLeavingTheProject() {
    project.file(temp.resolve("elsewhere/x.py"), "print('{}')");
    project.link("lib", temp.resolve("elsewhere"));

    ExecutionRecord record = run("lib/x.py");

    assertThat(record.status()).isEqualTo(Status.REJECTED);
  }

  // 6
  @Test
  void rejectsATextFileAMissingFileAndADirectoryWithTheirReasons() {
    project.script("notes.txt", "hello").directory("x.py");

    assertThat(run("notes.txt").error().message()).contains("not a .py file");
    assertThat(run("missing.py").error().message()).contains("does not exist");
    assertThat(run("x.py").error().message()).contains("is a directory");
  }

  // 7
  @Test
  void timesOutABusyLoop() {
    project.script("busy.py", Scripts.BUSY_LOOP);

    ExecutionRecord record = run("busy.py", SHORT);

    assertThat(record.status()).isEqualTo(Status.TIMED_OUT);
    assertThat(record.endedBy()).isEqualTo("SIGTERM");
  }

  // 8
  @Test
  void timesOutASleepingScriptByTheWallClock() {
    project.script("sleep.py", Scripts.SLEEP_FOREVER);

    ExecutionRecord record = run("sleep.py", SHORT);

    assertThat(record.status()).isEqualTo(Status.TIMED_OUT);
    assertThat(record.durationMs()).isBetween(1000L, 1000L + GRACE.toMillis() + 2000L);
  }

  // 9
  @Test
  void killsAScriptThatIgnoresSigtermAfterTheGrace() {
    project.script("stubborn.py", Scripts.IGNORE_SIGTERM);

    ExecutionRecord record = run("stubborn.py", SHORT);

    assertThat(record.status()).isEqualTo(Status.TIMED_OUT);
    assertThat(record.endedBy()).isEqualTo("SIGKILL");
    assertThat(record.durationMs()).isGreaterThanOrEqualTo(1000L + GRACE.toMillis());
  }

  // 10
  @Test
  void returnsPromptlyAndEndsAChildLeftSleeping() {
    project.script(
        "leaves_child.py",
        "import json, subprocess, sys\n"
            + "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(10**6)'])\n"
            + "print(json.dumps({'child': child.pid}))\n");

    ExecutionRecord record = run("leaves_child.py");

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.durationMs()).isLessThan(5000);
    assertNothingLeft(record);
  }

  // 11
  @Test
  void stopsADoubleForkedDaemonWithinTheGrace() {
    project.script("daemon.py", daemonScript(false));

    ExecutionRecord record = run("daemon.py");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertNothingLeft(record);
  }

  @Test
  void endsWhatAScriptLeftWhenItDiesByASignal() {
    project.script(
        "dies.py",
        daemonScript(false).replace("print(json.dumps({'ok': True}))\n", "")
            + "import signal\nos.kill(os.getpid(), signal.SIGKILL)\n");

    ExecutionRecord record = run("dies.py");

    assertThat(record.status()).isEqualTo(Status.CRASHED);
    assertThat(record.signal()).isEqualTo("SIGKILL");
    assertNothingLeft(record);
  }

  /**
   * RED TEAM: a daemon forked without exec carries no STEPGUARD_EXECUTION_ID in a sandbox started
   * ahead (its start environment has no placeholder), so {@link #assertNothingLeft} cannot see it;
   * it is looked for here by the name it gives itself.
   */
  @Test
  void endsADaemonForkedWithoutExecWhenTheScriptDiesBySignal() throws Exception {
    String name = "sg" + Long.toHexString(System.nanoTime() & 0xffffffffffL);
    project.script(
        "forks.py",
        "import ctypes, os, signal, time\n"
            + "if os.fork() == 0:\n"
            + "    os.setsid()\n"
            + "    if os.fork() == 0:\n"
            + "        ctypes.CDLL(None).prctl(15, b'"
            + name
            + "', 0, 0, 0)\n"
            + "        while True:\n"
            + "            time.sleep(0.05)\n"
            + "    os._exit(0)\n"
            + "time.sleep(0.5)\n"
            + "os.kill(os.getpid(), signal.SIGKILL)\n");

    ExecutionRecord record = run("forks.py");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.CRASHED);
    Thread.sleep(500);
    assertThat(named(name)).as("processes named %s after run %s", name, record.id()).isEmpty();
  }

  private static List<Long> named(String name) throws IOException {
    try (var entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      List<Long> found = new java.util.ArrayList<>();
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        try {
          if (Files.readString(entry.resolve("comm")).strip().equals(name)
              && ProcessIdentities.state(pid) != 'Z') {
            found.add(pid);
          }
        } catch (IOException e) {
          // Gone meanwhile.
        }
      }
      return found;
    }
  }

  @Test
  void endsAChildInTheSessionWhenTheScriptCallsExecv() {
    project.script(
        "execs.py",
        "import os, subprocess, sys\n"
            + "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(10**6)'])\n"
            + "os.execv('/bin/true', ['/bin/true'])\n");

    ExecutionRecord record = run("execs.py");

    assertThat(record.status()).isEqualTo(Status.INVALID_OUTPUT);
    assertNothingLeft(record);
  }

  // 34
  @ParameterizedTest
  @ValueSource(
      strings = {
        "os.execv('/bin/true', ['/bin/true'])",
        "os._exit(0)",
        "import posix\nposix._exit(0)"
      })
  void endsChildrenOnDevNullWhenTheScriptExecsOrExitsAtOnce(String ending) {
    project.script("vanishes.py", LEAVES_QUIET_CHILDREN + ending + "\n");

    ExecutionRecord record = run("vanishes.py");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("ok").asBoolean()).isTrue();
    assertThat(record.durationMs()).isLessThan(LONG.toMillis() / 2);
    assertNothingLeft(record);
  }

  // 46
  @Test
  void returnsPromptlyAndEndsChildrenThatOtherThreadsStarted() {
    project.script(
        "threads.py",
        "import json, subprocess, threading, time\n"
            + "def start():\n"
            + "    subprocess.Popen(['sleep', '1000'])\n"
            + "def start_and_stay():\n"
            + "    subprocess.Popen(['sleep', '1000'])\n"
            + "    time.sleep(1000)\n"
            + "done = threading.Thread(target=start)\n"
            + "done.start()\n"
            + "done.join()\n"
            + "threading.Thread(target=start_and_stay, daemon=True).start()\n"
            + "time.sleep(0.2)\n"
            + "print(json.dumps({'ok': True}))\n");

    ExecutionRecord record = run("threads.py");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("ok").asBoolean()).isTrue();
    assertThat(record.durationMs()).isLessThan(LONG.toMillis() / 2);
    assertNothingLeft(record);
  }

  /**
   * The start of a script that leaves, with their stdio on /dev/null so that no pipe of the run
   * stays open, a child that ignores SIGTERM in a process group of its own and a daemon that left
   * the session by a double fork, then prints valid output.
   */
  private static final String LEAVES_QUIET_CHILDREN =
      "import json, os, subprocess, sys\n"
          + "quiet = subprocess.DEVNULL\n"
          + "subprocess.Popen([sys.executable, '-c', 'import os, signal, time\\n"
          + "os.setpgid(0, 0)\\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\\n"
          + "time.sleep(10**6)'], stdin=quiet, stdout=quiet, stderr=quiet)\n"
          + "pid = os.fork()\n"
          + "if pid == 0:\n"
          + "    os.setsid()\n"
          + "    if os.fork() == 0:\n"
          + "        null = os.open(os.devnull, os.O_RDWR)\n"
          + "        for fd in (0, 1, 2):\n"
          + "            os.dup2(null, fd)\n"
          + "        os.execv('/bin/sleep', ['sleep', '1000'])\n"
          + "    os._exit(0)\n"
          + "os.waitpid(pid, 0)\n"
          + "print(json.dumps({'ok': True}))\n"
          + "sys.stdout.flush()\n";

  /** No process that carries the run's id is left, shortly after the run returned. */
  static void assertNothingLeft(ExecutionRecord record) {
    byte[] tag =
        ("STEPGUARD_EXECUTION_ID=" + record.id().value() + "\0")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (!Leftovers.find(new java.util.HashSet<>(), tag, 0).isEmpty()
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(Leftovers.find(new java.util.HashSet<>(), tag, 0))
        .as("processes left by run %s", record.id())
        .isEmpty();
  }

  // 12
  @Test
  void stopsUnboundedMemoryAtTheLimit() {
    project.script("hog.py", "blocks = []\nwhile True:\n    blocks.append(bytearray(10**7))\n");

    ExecutionRecord record =
        run("hog.py", "{}", LONG, limits(20_000, 256L << 20, 1 << 20, 1 << 20));

    assertThat(record.status()).isEqualTo(Status.LIMIT_EXCEEDED);
    assertThat(record.error().code()).isEqualTo("LIMIT_MEMORY");
    assertThat(record.stderr()).contains("MemoryError");
  }

  // 13
  @Test
  void killsAScriptThatPrintsForever() {
    project.script("flood.py", Scripts.FLOOD_STDOUT);

    ExecutionRecord record =
        run("flood.py", "{}", LONG, limits(20_000, 1L << 30, 1 << 20, 1 << 20));

    assertThat(record.status()).isEqualTo(Status.LIMIT_EXCEEDED);
    assertThat(record.error().code()).isEqualTo("LIMIT_OUTPUT");
    assertThat(record.outputBytes()).isLessThanOrEqualTo(1 << 20);
  }

  // 14
  @Test
  void keepsTheTailOfAStderrFloodWithoutDeadlock() {
    project.script(
        "noisy.py",
        "import sys\nfor i in range(200000):\n    sys.stderr.write('line %d\\n' % i)\n");

    ExecutionRecord record = run("noisy.py");

    assertThat(record.status()).isEqualTo(Status.INVALID_OUTPUT);
    assertThat(record.error().message()).contains("empty");
    assertThat(record.stderrTruncated()).isTrue();
    assertThat(record.stderr()).endsWith("line 199999\n").hasSizeLessThanOrEqualTo(64 * 1024);
  }

  // 15
  @Test
  void stopsAFileLargerThanTheLimit() {
    project.script(
        "big_file.py",
        "import os\nwith open(os.path.join(os.environ['HOME'], 'big'), 'wb') as f:\n"
            + "    f.write(b'x' * (4 << 20))\n");

    ExecutionRecord record =
        run("big_file.py", "{}", LONG, limits(20_000, 1L << 30, 1 << 20, 1 << 20));

    assertThat(record.status()).isEqualTo(Status.LIMIT_EXCEEDED);
    assertThat(record.error().code()).isEqualTo("LIMIT_FILE_SIZE");
  }

  // 16
  @Test
  void stopsCpuUsePastTheCpuLimit() {
    project.script("burn.py", Scripts.BUSY_LOOP);

    ExecutionRecord record = run("burn.py", "{}", LONG, limits(1000, 1L << 30, 1 << 20, 1 << 20));

    assertThat(record.status()).isEqualTo(Status.LIMIT_EXCEEDED);
    assertThat(record.error().code()).isEqualTo("LIMIT_CPU");
    assertThat(record.durationMs()).isLessThan(LONG.toMillis());
  }

  // 17, 18, 19
  @ParameterizedTest
  @ValueSource(
      strings = {
        "b'not json'|not valid JSON",
        "b'[1,2]'|not a JSON object",
        "b'{}{}'|more after the JSON object",
        "b''|is empty",
        "b'{\"a\": \"\\xff\"}'|not valid UTF-8",
        "b'[' * 100000|not a JSON object",
        "b'{\"a\":' * 100000|nested deeper than 200"
      })
  void refusesOutputThatIsNotExactlyOneObject(String spec) {
    String[] parts = spec.split("\\|");
    project.script("bad_output.py", Scripts.printing(parts[0]));

    ExecutionRecord record = run("bad_output.py");

    assertThat(record.status()).isEqualTo(Status.INVALID_OUTPUT);
    assertThat(record.exitCode()).isZero();
    assertThat(record.error().message()).contains(parts[1]);
  }

  // 20
  @Test
  void rejectsInputThatIsNotAnObjectOrTooLarge() {
    project.script("echo.py", Scripts.ECHO);
    Limits limits = Limits.defaults(LONG.toMillis());

    ExecutionRecord notObject = run("echo.py", "[1, 2]", LONG, limits);
    ExecutionRecord tooLarge =
        run("echo.py", "{\"a\": \"" + "x".repeat(5 << 20) + "\"}", LONG, limits);

    assertThat(notObject.status()).isEqualTo(Status.REJECTED);
    assertThat(tooLarge.status()).isEqualTo(Status.REJECTED);
    assertThat(tooLarge.error().message()).contains("more than the limit of 4 MiB");
  }

  // 21
  @Test
  void finishesWhenTheScriptNeverReadsALargeInput() {
    project.script("ignores_stdin.py", "print('{\"ok\": true}')\n");
    String input = "{\"a\": \"" + "x".repeat((4 << 20) - 16) + "\"}";

    ExecutionRecord record = run("ignores_stdin.py", input, LONG, Limits.defaults(20_000));

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
  }

  // 22
  @Test
  void succeedsWhenTheScriptClosesStdinAtOnce() {
    project.script("closes_stdin.py", "import sys\nsys.stdin.close()\nprint('{\"ok\": true}')\n");

    ExecutionRecord record =
        run(
            "closes_stdin.py",
            "{\"big\": \"" + "y".repeat(1 << 20) + "\"}",
            LONG,
            Limits.defaults(20_000));

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("ok").asBoolean()).isTrue();
  }

  // 23
  @Test
  void crashesWithTheSignalRecorded() {
    project.script("segv.py", Scripts.SEGFAULT);

    ExecutionRecord record = run("segv.py");

    assertThat(record.status()).isEqualTo(Status.CRASHED);
    assertThat(record.signal()).isEqualTo("SIGSEGV");
  }

  // The second attacker review of 2026-12-01: scripts started with SIGQUIT blocked, and with
  // SIGINT ignored under a stepguard started in the background.
  @Test
  void startsWithNoSignalBlockedOrIgnoredButSigpipeAndCtrlCAsKeyboardInterrupt() {
    project.script(
        "signals.py",
        "import json, signal\n"
            + "status = dict(line.split(':\\t', 1) for line in open('/proc/self/status')"
            + " .read().splitlines() if ':\\t' in line)\n"
            + "print(json.dumps({'blocked': status['SigBlk'].strip(),"
            + " 'ignored': status['SigIgn'].strip(),"
            + " 'int': signal.getsignal(signal.SIGINT) is signal.default_int_handler}))\n");

    ExecutionRecord record = run("signals.py");

    assertThat(record.status()).as(String.valueOf(record.error())).isEqualTo(Status.SUCCEEDED);
    assertThat(Long.parseLong(record.output().get("blocked").asText(), 16)).isZero();
    // 32 and 33 are glibc's own (thread cancellation, set*id), which no program can set or handle
    long glibcs = 3L << (32 - 1);
    assertThat(Long.parseLong(record.output().get("ignored").asText(), 16) & ~glibcs)
        .as("only SIGPIPE (13) ignored")
        .isEqualTo(1L << (13 - 1));
    assertThat(record.output().get("int").asBoolean()).isTrue();
  }

  // 24
  @Test
  void seesOnlyTheAllowlistedEnvironment() {
    project.script("env.py", "import json, os\nprint(json.dumps({'names': sorted(os.environ)}))\n");

    ExecutionRecord record = run("env.py");

    Set<String> names = names(record.output().get("names"));
    Set<String> allowed =
        Set.of(
            "PATH",
            "LANG",
            "LC_ALL",
            "HOME",
            "PYTHONIOENCODING",
            "PYTHONUNBUFFERED",
            "STEPGUARD_EXECUTION_ID",
            "STEPGUARD_PROJECT_ROOT",
            "LC_CTYPE");
    assertThat(names).isSubsetOf(allowed).contains("STEPGUARD_EXECUTION_ID", "HOME");
    Set<String> hostOnly =
        System.getenv().keySet().stream()
            .filter(name -> !allowed.contains(name))
            .collect(Collectors.toSet());
    assertThat(hostOnly).isNotEmpty();
    assertThat(names).doesNotContainAnyElementsOf(hostOnly);
  }

  // 25
  @Test
  void failsWithExitCodeAndTraceback() {
    project.script("exit3.py", Scripts.EXIT_3_WITH_TRACEBACK);

    ExecutionRecord record = run("exit3.py");

    assertThat(record.status()).isEqualTo(Status.FAILED);
    assertThat(record.exitCode()).isEqualTo(3);
    assertThat(record.stderr()).contains("Traceback", "ValueError: bad row 7");
  }

  @Test
  void runsTheTemplateScriptWithItsHomeAndWorkingDirectory() {
    project.script(
        "where.py",
        "import json, os, sys\n"
            + "json.dump({'cwd': os.getcwd(), 'home': os.environ['HOME'],"
            + " 'argv': sys.argv, 'name': __name__}, sys.stdout)\n");

    ExecutionRecord record = run("where.py");

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("cwd").asText()).isEqualTo(project.root().toString());
    assertThat(record.output().get("name").asText()).isEqualTo("__main__");
    assertThat(record.output().get("argv").get(0).asText()).endsWith("where.py");
  }

  @Test
  void projectModulesNamedLikeStandardOnesCannotHijackTheBootstrap() {
    project
        .script("resource.py", "raise SystemExit('hijacked resource')\n")
        .script("sitecustomize.py", "raise SystemExit('hijacked sitecustomize')\n")
        .script("_signal.py", "raise SystemExit('hijacked _signal')\n")
        .script("_ctypes.py", "raise SystemExit('hijacked _ctypes')\n")
        .script("main.py", "print('{\"ok\": true}')\n");

    ExecutionRecord record = run("main.py");

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.stderr()).doesNotContain("hijacked");
  }

  @Test
  void scriptsCanImportModulesBesideThem() {
    project
        .script("steps/helpers.py", "def double(x):\n    return 2 * x\n")
        .script(
            "steps/main.py",
            "import json, sys\nfrom helpers import double\n"
                + "json.dump({'n': double(json.load(sys.stdin)['n'])}, sys.stdout)\n");

    ExecutionRecord record = run("steps/main.py", "{\"n\": 21}", LONG, Limits.defaults(20_000));

    assertThat(record.output().get("n").asInt()).isEqualTo(42);
  }

  @Test
  void recordsTheHashOfTheScriptThatRan() throws Exception {
    String source = "print('{}')\n";
    project.script("hash.py", source);

    ExecutionRecord record = run("hash.py");

    byte[] digest =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(source.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(record.scriptSha256()).isEqualTo(java.util.HexFormat.of().formatHex(digest));
    assertThat(record.usage().cpuMs()).isGreaterThanOrEqualTo(0);
  }

  // 41
  @Test
  void computesWithDebiansNumpyAndPandas() throws Exception {
    assumeTrue(
        new ProcessBuilder(DEBIAN_PYTHON, "-c", "import numpy, pandas").start().waitFor() == 0,
        DEBIAN_PYTHON + " cannot import numpy and pandas here (apt-get install python3-pandas)");
    project
        .script("data/orders.csv", "region,amount\nnorth,10\nsouth,5\nnorth,2.5\nsouth,1\n")
        .script(
            "totals.py",
            "import json, sys\n"
                + "import numpy as np\n"
                + "import pandas as pd\n"
                + "orders = pd.read_csv('data/orders.csv')\n"
                + "totals = orders.groupby('region')['amount'].sum()\n"
                + "solved = np.linalg.solve(np.array([[2.0, 1.0], [1.0, 3.0]]), np.array([3.0, 5.0]))\n"
                + "json.dump({'totals': totals.to_dict(), 'x': solved.round(6).tolist()}, sys.stdout)\n");
    ProcessLauncher debian = launcher(Pythons.named(DEBIAN_PYTHON, System.getenv("PATH")));

    ExecutionRecord record = run(debian, "totals.py", "{}", LONG, Limits.defaults(20_000));

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("totals").get("north").asDouble()).isEqualTo(12.5);
    assertThat(record.output().get("totals").get("south").asDouble()).isEqualTo(6.0);
    assertThat(record.output().get("x").toString()).isEqualTo("[0.8,1.4]");
  }

  // 29
  @Test
  void leavesNothingBehindAfterManyRunsThatEachLeaveAChild() throws Exception {
    project.script("daemon.py", daemonScript(true));
    run("daemon.py");
    int threadsBefore = Thread.activeCount();
    long descriptorsBefore = openDescriptors();

    for (int i = 0; i < 200; i++) {
      assertThat(run("daemon.py").status()).isEqualTo(Status.SUCCEEDED);
    }

    assertThat(leftBehind()).isEmpty();
    assertThat(Thread.activeCount()).isLessThanOrEqualTo(threadsBefore + 3);
    assertThat(openDescriptors()).isLessThanOrEqualTo(descriptorsBefore + 5);
  }

  /**
   * The processes of this JVM's that no run of the launcher's may leave behind: all but the fork
   * servers of warm launchers (of this test or another in the JVM) and their children waiting for a
   * run, which stay in stepguard's session (a run's process starts its own at once) and run the
   * fork server's code.
   */
  List<ProcessHandle> leftBehind() {
    return strayDescendants();
  }

  /** This JVM's descendants but the fork servers of warm launchers and their waiting children. */
  static List<ProcessHandle> strayDescendants() {
    long session = ProcessIdentities.sessionOf(ProcessHandle.current().pid()).orElseThrow();
    return ProcessHandle.current()
        .descendants()
        .filter(
            process ->
                ProcessIdentities.sessionOf(process.pid()).orElse(-1) != session
                    || !commandLine(process).contains("stepguard fork server"))
        .toList();
  }

  /**
   * A script that double-forks a daemon (setsid) which writes to a file in HOME every 100 ms, waits
   * until the daemon has written once (unless {@code quiet}), then prints valid output and exits 0.
   */
  static String daemonScript(boolean quiet) {
    String file = "os.path.join(os.environ['HOME'], 'beacon')";
    String write = quiet ? "pass" : "open(" + file + ", 'a').write('x')";
    String started = quiet ? "" : "while not os.path.exists(" + file + "):\n    time.sleep(0.01)\n";
    return "import json, os, time\n"
        + "if os.fork() == 0:\n"
        + "    os.setsid()\n"
        + "    if os.fork() == 0:\n"
        + "        while True:\n"
        + "            "
        + write
        + "\n"
        + "            time.sleep(0.1)\n"
        + "    os._exit(0)\n"
        + started
        + "print(json.dumps({'ok': True}))\n";
  }

  static String pythonString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static long openDescriptors() throws Exception {
    try (var entries = Files.list(Path.of("/proc/self/fd"))) {
      return entries.count();
    }
  }

  private static Set<String> names(JsonNode array) {
    Set<String> names = new java.util.TreeSet<>();
    array.forEach(node -> names.add(node.asText()));
    return names;
  }
}
