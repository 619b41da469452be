package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm runs take a process forked for them by a fork server, never one that ran anything before:
 * what a run leaves behind is not visible to the next, and a dead fork server costs no run.
 */
class WarmRunsTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final long SELF = ProcessHandle.current().pid();

  @TempDir Path temp;
  private TestProject project;
  private ProcessLauncher warm;

  @BeforeEach
  void createProject() {
    project = new TestProject(temp);
    warm =
        new LocalProcessLauncher(
            Pythons.onPath(System.getenv("PATH")), new ProcessSettings.Warm(true, 2));
  }

  private ExecutionRecord run(ProcessLauncher launcher, String script, String input) {
    ScriptExecutor executor =
        new ScriptExecutor(
            new FilesystemPathPolicy(project.root()),
            launcher,
            new InMemoryExecutionStore(),
            new ProcfsProcessTable(),
            Redactor.defaults(),
            Clock.systemUTC());
    return executor.execute(
        ExecutionRequest.standalone(
            script,
            input,
            TIMEOUT,
            GRACE,
            Limits.defaults(TIMEOUT.plus(GRACE).toMillis()),
            Requester.cli("test")));
  }

  @Test
  void aWarmRunIsForkedByTheForkServerNotStartedByStepguard() {
    project.script("parent.py", "import json, os\nprint(json.dumps({'parent': os.getppid()}))\n");

    ExecutionRecord first = run(warm, "parent.py", "{}");
    ExecutionRecord second = run(warm, "parent.py", "{}");

    assertThat(first.status()).isEqualTo(Status.SUCCEEDED);
    long parent = first.output().get("parent").asLong();
    assertThat(parent).isNotEqualTo(SELF).isEqualTo(second.output().get("parent").asLong());
    assertThat(first.process().pid()).isNotEqualTo(second.process().pid());
  }

  @Test
  void theForkServerPreloadsFromTheStandardLibraryNeverFromTheProject() {
    project.script("json.py", "raise SystemExit('the project json.py was imported')\n");
    project.script("re.py", "raise SystemExit('the project re.py was imported')\n");
    project.script(
        "which.py",
        "import sys\n"
            + "print('{\"json\": \"%s\", \"re\": \"%s\"}' % ("
            + "sys.modules['json'].__file__, sys.modules['re'].__file__))\n");

    ExecutionRecord record = run(warm, "which.py", "{}");

    assertThat(record.status()).as(String.valueOf(record.error())).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("json").asText()).doesNotStartWith(project.root().toString());
    assertThat(record.output().get("re").asText()).doesNotStartWith(project.root().toString());
  }

  @Test
  void nothingARunLeavesIsVisibleToTheNextRun() throws Exception {
    project.script(
        "leave.py",
        "import builtins, json, os, random, subprocess, sys\n"
            + "seen = {\n"
            + "  'global': hasattr(json, 'left'),\n"
            + "  'module': 'left_module' in sys.modules,\n"
            + "  'builtin': hasattr(builtins, 'left'),\n"
            + "  'patched': print.__module__ != 'builtins',\n"
            + "  'env': 'LEFT' in os.environ or 'LEFT_PUT' in os.environ,\n"
            + "  'environ': b'LEFT' in open('/proc/self/environ', 'rb').read(),\n"
            + "  'home': os.listdir(os.environ['HOME']),\n"
            + "  'pid': os.getpid(),\n"
            + "  'random': random.random(),\n"
            + "}\n"
            + "json.left = 1\n"
            + "sys.modules['left_module'] = json\n"
            + "builtins.left = 1\n"
            + "open(os.path.join(os.environ['HOME'], 'left'), 'w').write('x')\n"
            + "os.environ['LEFT'] = '1'\n"
            + "os.putenv('LEFT_PUT', '1')\n"
            + "child = subprocess.Popen(['sleep', '60'], start_new_session=True)\n"
            + "seen['child'] = child.pid\n"
            + "real_print = print\n"
            + "real_print(json.dumps(seen))\n"
            + "builtins.print = lambda *a, **k: None\n");

    List<JsonNode> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ExecutionRecord record = run(warm, "leave.py", "{}");
      assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
      seen.add(record.output());
      assertThat(ProcessHandle.of(record.output().get("child").asLong()))
          .as("the background process of run %d", i)
          .isEmpty();
    }

    for (JsonNode run : seen) {
      for (String left : List.of("global", "module", "builtin", "patched", "env", "environ")) {
        assertThat(run.get(left).asBoolean()).as(left + " in " + run).isFalse();
      }
      assertThat(run.get("home")).as("the home of " + run).isEmpty();
    }
    assertThat(seen.stream().map(run -> run.get("pid").asLong()).distinct()).hasSize(3);
    assertThat(seen.stream().map(run -> run.get("random").asDouble()).distinct())
        .as("each run draws its own random numbers")
        .hasSize(3);
  }

  /**
   * A fork server's child copies the memory it shares with its server while it waits: a run whose
   * every first write to a shared page stopped for a copy spent about a third of its own time on
   * that (docs/PERFORMANCE.md). Needs MADV_POPULATE_WRITE (Linux 5.14).
   */
  @Test
  void aWarmScriptStartsWithItsWritableMemoryItsOwn() {
    org.junit.jupiter.api.Assumptions.assumeTrue(kernelAtLeast(5, 14), "the kernel predates 5.14");
    project.script(
        "memory.py",
        "import json, re\n"
            + "rollup = open('/proc/self/smaps_rollup').read()\n"
            + "kb = {k: int(v) for k, v in re.findall(r'^(\\w+):\\s+(\\d+) kB', rollup, re.M)}\n"
            + "print(json.dumps({'shared': kb['Shared_Dirty'], 'own': kb['Private_Dirty']}))\n");
    run(warm, "memory.py", "{}");

    ExecutionRecord record = run(warm, "memory.py", "{}");

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
    long shared = record.output().get("shared").asLong();
    long own = record.output().get("own").asLong();
    assertThat(shared * 4)
        .as(
            "written memory still shared with the fork server (%d kB) against own (%d kB)",
            shared, own)
        .isLessThan(own);
  }

  private static boolean kernelAtLeast(int major, int minor) {
    String[] parts = System.getProperty("os.version").split("[.-]");
    int have = Integer.parseInt(parts[0]) * 1000 + Integer.parseInt(parts[1]);
    return have >= major * 1000 + minor;
  }

  /**
   * On two cores a fork, and the new child copying its memory, beside a run take the CPU the run
   * needs: while another child is ready, a taken child is replaced once it exits. Each run counts
   * the other children of its fork server one second in (the pool holds two): one, the ready child,
   * during the second run; one again in a third run a second later, the replacement.
   */
  @Test
  void aTakenChildIsReplacedOnceItsRunIsOverWhileAnotherIsReady() throws Exception {
    project.script(
        "siblings.py",
        "import json, os, time\n"
            + "time.sleep(1)\n"
            + "me, server = os.getpid(), os.getppid()\n"
            + "def parent(pid):\n"
            + "    try:\n"
            + "        stat = open('/proc/%s/stat' % pid).read()\n"
            + "    except OSError:\n"
            + "        return None\n"
            + "    return int(stat[stat.rindex(')') + 2:].split()[1])\n"
            + "others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) != me"
            + " and parent(p) == server]\n"
            + "print(json.dumps({'others': len(others)}))\n");
    run(warm, "siblings.py", "{}");

    ExecutionRecord second = run(warm, "siblings.py", "{}");
    Thread.sleep(1000);
    ExecutionRecord third = run(warm, "siblings.py", "{}");

    assertThat(second.output().get("others").asInt()).as("no replacement during the run").isOne();
    assertThat(third.output().get("others").asInt()).as("replaced once it was over").isOne();
  }

  @Test
  void aRunAfterTheForkServerWasKilledStillRuns() throws Exception {
    project.script("parent.py", "import json, os\nprint(json.dumps({'parent': os.getppid()}))\n");
    long server = run(warm, "parent.py", "{}").output().get("parent").asLong();
    ProcessHandle handle = ProcessHandle.of(server).orElseThrow();
    handle.destroyForcibly();
    handle.onExit().get();

    boolean replaced = false;
    for (int i = 0; i < 50 && !replaced; i++) {
      ExecutionRecord record = run(warm, "parent.py", "{}");
      assertThat(record.status()).as("run %d after the kill", i).isEqualTo(Status.SUCCEEDED);
      long parent = record.output().get("parent").asLong();
      replaced = parent != SELF && parent != server;
      Thread.sleep(100);
    }

    assertThat(replaced).as("a new fork server serves runs again").isTrue();
  }

  @Test
  void aScriptThatStopsItsForkServerHoldsUpNoRunAndBlamesNoOther() throws Exception {
    project.script("parent.py", "import json, os\nprint(json.dumps({'parent': os.getppid()}))\n");
    project.script(
        "stop.py",
        "import json, os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\n"
            + "print(json.dumps({'parent': os.getppid()}))\n");
    long server = run(warm, "parent.py", "{}").output().get("parent").asLong();
    try {
      long started = System.nanoTime();
      ExecutionRecord stopper = run(warm, "stop.py", "{}");
      List<ExecutionRecord> later = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        later.add(run(warm, "parent.py", "{}"));
      }

      assertThat(ProcessIdentities.state(server))
          .as("the fork server was stopped")
          .isIn('T', 't', 'Z', 'X');
      // Its own status is lost with the stopped server's report: it ends as killed, not RUNNING.
      assertThat(stopper.status()).isNotEqualTo(Status.RUNNING);
      assertThat(later)
          .as("runs after the fork server was stopped")
          .allSatisfy(record -> assertThat(record.status()).isEqualTo(Status.SUCCEEDED));
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("no run waits for the stopped server")
          .isLessThan(TIMEOUT);
    } finally {
      ProcessHandle.of(server).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aScriptCannotReadItsForkServersDescriptorsOrMemory() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        Users.runningAsRoot(), "root reads any process's descriptors; run as an ordinary user");
    project.script(
        "peek.py",
        "import json, os\nseen = {}\nfor name in ('fd/0', 'fd/1', 'mem', 'environ'):\n"
            + "    try:\n"
            + "        open('/proc/%d/%s' % (os.getppid(), name), 'rb').read(1)\n"
            + "        seen[name] = 'read'\n"
            + "    except OSError as error:\n"
            + "        seen[name] = error.strerror\n"
            + "print(json.dumps(seen))\n");

    ExecutionRecord record = run(warm, "peek.py", "{}");

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().properties())
        .hasSize(4)
        .allSatisfy(
            field -> assertThat(field.getValue().asText()).as(field.getKey()).isNotEqualTo("read"));
  }

  @Test
  void aWarmRunRunsInCgroupsNamedForItWithItsMemoryLimit() {
    CgroupHost host = CgroupHost.current();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        host.memory().isPresent(), "no writable memory cgroup here");
    String limitFile = host.memory().get().unified() ? "memory.max" : "memory.limit_in_bytes";
    project.script(
        "where.py",
        "import json\n"
            + "line = [l for l in open('/proc/self/cgroup').read().splitlines()\n"
            + "        if l.split(':')[1] in ('memory', '')][0]\n"
            + "path = line.split(':', 2)[2]\n"
            + "print(json.dumps({'cgroup': path, 'limit': open('"
            + host.memory().get().directory()
            + "/' + path.rsplit('/', 1)[1] + '/"
            + limitFile
            + "').read().strip()}))\n");

    List<ExecutionRecord> records = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      records.add(run(warm, "where.py", "{}"));
    }

    assertThat(records)
        .allSatisfy(
            record -> {
              assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
              assertThat(record.output().get("cgroup").asText())
                  .endsWith("/" + RunCgroup.PREFIX + record.id().value());
              assertThat(record.output().get("limit").asText())
                  .isEqualTo(Long.toString(record.limits().memoryBytes()));
            });
  }

  @Test
  void aWarmScriptFindsNoForkRequestInItsOwnMemory() {
    // The fork server reads requests one at a time into a buffer it zeroes before the next fork:
    // a child holds no sibling's nonce, with which it could take the streams of a fork to come.
    ProcessLauncher pooled =
        new LocalProcessLauncher(
            Pythons.onPath(System.getenv("PATH")), new ProcessSettings.Warm(true, 8));
    project.script(
        "scan.py",
        "import json, re\n"
            + "found = 0\n"
            + "request = re.compile(rb'(fork|pid) [0-9a-f]{32}')\n"
            + "with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb', 0) as mem:\n"
            + "    for line in maps:\n"
            + "        fields = line.split()\n"
            + "        if not fields[1].startswith('rw') or (len(fields) > 5 and fields[5] not in"
            + " ('[heap]', '[stack]')):\n"
            + "            continue\n"
            + "        start, end = (int(part, 16) for part in fields[0].split('-'))\n"
            + "        try:\n"
            + "            mem.seek(start)\n"
            + "            found += len(request.findall(mem.read(end - start)))\n"
            + "        except (OSError, OverflowError, ValueError):\n"
            + "            pass\n"
            + "print(json.dumps({'found': found}))\n");

    List<ExecutionRecord> records = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      records.add(run(pooled, "scan.py", "{}"));
    }

    assertThat(records).extracting(ExecutionRecord::status).containsOnly(Status.SUCCEEDED);
    assertThat(records)
        .extracting(record -> record.output().get("found").asInt())
        .as("fork requests in a warm script's memory")
        .containsOnly(0);
  }

  @Test
  void aWarmRunIsRecordedAsAColdRunIs() {
    project.script(
        "same.py",
        "import json, sys\nprint('to stderr', file=sys.stderr)\n"
            + "print(json.dumps(json.load(sys.stdin)))\nsys.exit(3)\n");
    ProcessLauncher cold = new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")));

    ExecutionRecord coldRun = run(cold, "same.py", "{\"a\": 1}");
    ExecutionRecord warmRun = run(warm, "same.py", "{\"a\": 1}");

    assertThat(warmRun.status()).isEqualTo(coldRun.status());
    assertThat(warmRun.exitCode()).isEqualTo(3).isEqualTo(coldRun.exitCode());
    assertThat(warmRun.stderr()).isEqualTo(coldRun.stderr()).contains("to stderr");
    assertThat(warmRun.scriptSha256()).isNotNull().isEqualTo(coldRun.scriptSha256());
    assertThat(warmRun.interpreter()).isEqualTo(coldRun.interpreter());
    assertThat(warmRun.limits()).isEqualTo(coldRun.limits());
    assertThat(warmRun.usage().cpuMs()).isNotNegative();
    assertThat(warmRun.usage().maxRssKib()).isPositive();
  }

  @Test
  void aCommandThatIsNotTheBootstrapsStartsCold() throws Exception {
    PythonLocator.Discovery.Found python =
        (PythonLocator.Discovery.Found)
            Pythons.onPath(System.getenv("PATH")).locate(project.root());
    ProcessBuilder other =
        new ProcessBuilder("/bin/true", "-I", "-S", "-B", "-c", "x", "1", "2", "3")
            .directory(project.root().toFile());

    assertThat(new WarmInterpreters(1).start(other, python, () -> {})).isEmpty();
    assertThat(new WarmInterpreters(1).start(new ProcessBuilder("/bin/true"), python, () -> {}))
        .isEmpty();
  }

  @Test
  void aRunStartsColdWhenItsForkServerCannotBeStarted() throws Exception {
    Path gone = temp.resolve("python-since-removed");
    PythonLocator.Discovery.Found python =
        new PythonLocator.Discovery.Found(
            gone, gone, new Interpreter(gone.toString(), "3.12.1"), new byte[] {1});
    List<String> command = new ArrayList<>(Bootstrap.warmCommand(python));
    command.add("a.py");
    ProcessBuilder cold = new ProcessBuilder(command).directory(project.root().toFile());
    WarmInterpreters interpreters = new WarmInterpreters(1);

    assertThat(interpreters.start(cold, python, () -> {})).isEmpty();
    assertThat(interpreters.start(cold, python, () -> {})).as("tried again, cold again").isEmpty();
  }

  @Test
  void refusesAPoolOfNone() {
    assertThatThrownBy(() -> new WarmInterpreters(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
