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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A child of the fork server ends by a quick exit that skips tearing down the modules its server
 * loaded (bootstrap.py, _QuickExit): what the script can observe of its end is what a cold run
 * gives, and where the quick exit could differ it leaves the end to the normal exit.
 */
class WarmExitTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final long SELF = ProcessHandle.current().pid();

  /** A __del__ that works whatever module state is left: it keeps what it needs on itself. */
  private static final String FINALIZED_MARK =
      "import os\n"
          + "class Mark:\n"
          + "    def __init__(self):\n"
          + "        self.write = os.write\n"
          + "    def __del__(self):\n"
          + "        self.write(2, b'the mark was finalized\\n')\n";

  @TempDir Path temp;
  private TestProject project;
  private Path out;
  private ProcessLauncher warm;
  private ProcessLauncher cold;

  @BeforeEach
  void createProject() throws IOException {
    project = new TestProject(temp);
    out = Files.createDirectory(temp.resolve("out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    warm =
        new LocalProcessLauncher(
            Pythons.onPath(System.getenv("PATH")), new ProcessSettings.Warm(true, 2));
    cold = new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")));
  }

  private ExecutionRecord run(ProcessLauncher launcher, String script) {
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
            "{\"out\": \"" + out + "\"}",
            TIMEOUT,
            GRACE,
            Limits.defaults(TIMEOUT.plus(GRACE).toMillis()),
            Requester.cli("test")));
  }

  private ExecutionRecord runWarm(String script) {
    project.script("parent.py", "import json, os\nprint(json.dumps({'parent': os.getppid()}))\n");
    assertThat(run(warm, "parent.py").output().get("parent").asLong())
        .as("runs are forked by a fork server")
        .isNotEqualTo(SELF);
    return run(warm, script);
  }

  private String written(String name) throws IOException {
    Path file = out.resolve(name);
    return Files.exists(file) ? Files.readString(file) : "(no file)";
  }

  @Test
  void filesTheScriptLeftOpenGetTheirBufferedDataWarmAsCold() throws IOException {
    project.script(
        "keeper.py",
        "import json, os, sys\n"
            + "out = json.load(sys.stdin)['out']\n"
            + "kept = open(os.path.join(out, 'module.txt'), 'w')\n"
            + "kept.write('from an imported module')\n");
    project.script(
        "unclosed.py",
        "import os, keeper\n"
            + "main = open(os.path.join(keeper.out, 'main.txt'), 'w')\n"
            + "main.write('from __main__')\n"
            + "class Writer:\n"
            + "    def __init__(self, name):\n"
            + "        self.file = open(os.path.join(keeper.out, name), 'w')\n"
            + "    def __del__(self):\n"
            + "        self.file.write('written by __del__')\n"
            + "held = Writer('held.txt')\n"
            + "cycle = Writer('cycle.txt')\n"
            + "cycle.me = cycle\n"
            + "print('{}')\n");

    for (ProcessLauncher launcher : new ProcessLauncher[] {cold, warm}) {
      ExecutionRecord record =
          launcher == warm ? runWarm("unclosed.py") : run(launcher, "unclosed.py");

      String run = launcher == warm ? "warm" : "cold";
      assertThat(record.status()).as(run + ": " + record.stderr()).isEqualTo(Status.SUCCEEDED);
      assertThat(written("main.txt")).as(run).isEqualTo("from __main__");
      assertThat(written("module.txt")).as(run).isEqualTo("from an imported module");
      assertThat(written("held.txt")).as(run).isEqualTo("written by __del__");
      if (launcher == warm) {
        // A cold run leaves it to chance: its collection may close the file first.
        assertThat(written("cycle.txt")).as(run).isEqualTo("written by __del__");
      }
      for (String name : new String[] {"main.txt", "module.txt", "cycle.txt", "held.txt"}) {
        Files.deleteIfExists(out.resolve(name));
      }
    }
  }

  @Test
  void atexitHandlersFinalizersAndGeneratorsRunInTheOrderAndWithTheOutputOfAColdRun() {
    project.script(
        "ending.py",
        "import atexit, sys\n"
            + "class Noisy:\n"
            + "    def __del__(self):\n"
            + "        print('__del__ ran', file=sys.stderr)\n"
            + "noisy = Noisy()\n"
            + "def steps():\n"
            + "    try:\n"
            + "        yield 1\n"
            + "    finally:\n"
            + "        print('generator finally ran', file=sys.stderr)\n"
            + "started = steps()\n"
            + "next(started)\n"
            + "atexit.register(print, 'first registered', file=sys.stderr)\n"
            + "atexit.register(print, 'second registered', file=sys.stderr)\n"
            + "sys.stdout.write('{\"done\": true}')\n");

    ExecutionRecord coldRun = run(cold, "ending.py");
    ExecutionRecord warmRun = runWarm("ending.py");

    assertThat(coldRun.stderr())
        .containsSubsequence(
            "second registered", "first registered", "__del__ ran", "generator finally ran");
    assertThat(warmRun.stderr()).isEqualTo(coldRun.stderr());
    assertThat(warmRun.status()).isEqualTo(coldRun.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(warmRun.output()).isEqualTo(coldRun.output());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "sys.exit(3)",
        "sys.exit(300)",
        "sys.exit('a message for stderr')",
        "sys.exit(None)",
        "raise ValueError('uncaught')",
        "raise KeyboardInterrupt",
        "raise MemoryError",
        "os._exit(7)",
        "pass",
      })
  void aRunEndsWithTheSameCodeStatusAndStreamsWarmAsCold(String ending) {
    project.script(
        "ends.py",
        "import atexit, os, sys\n"
            + "atexit.register(print, 'atexit ran', file=sys.stderr)\n"
            + "sys.stdout.write('{\"buffered\": true}')\n"
            + ending
            + "\n");

    ExecutionRecord coldRun = run(cold, "ends.py");
    ExecutionRecord warmRun = runWarm("ends.py");

    assertThat(warmRun.status()).isEqualTo(coldRun.status());
    assertThat(warmRun.exitCode()).isEqualTo(coldRun.exitCode());
    assertThat(warmRun.error()).isEqualTo(coldRun.error());
    assertThat(warmRun.output()).isEqualTo(coldRun.output());
    assertThat(warmRun.stderr()).isEqualTo(coldRun.stderr());
    assertThat(warmRun.usage().maxRssKib()).as("the end report came").isPositive();
  }

  @Test
  void aFinalizerInACycleThroughAFileLeftOpenRunsWarmAsCold() throws IOException {
    project.script(
        "owner.py",
        "import json, os, sys\n"
            + "out = json.load(sys.stdin)['out']\n"
            + "class Owner:\n"
            + "    def __del__(self):\n"
            + "        print('the owner was finalized', file=sys.stderr)\n"
            + "owner = Owner()\n"
            + "owner.file = open(os.path.join(out, 'owned.txt'), 'w')\n"
            + "owner.file.owner = owner\n"
            + "owner.file.write('left open')\n"
            + "print('{}')\n");

    ExecutionRecord coldRun = run(cold, "owner.py");
    ExecutionRecord warmRun = runWarm("owner.py");

    assertThat(coldRun.stderr()).isEqualTo("the owner was finalized\n");
    assertThat(warmRun.stderr()).isEqualTo(coldRun.stderr());
    assertThat(written("owned.txt")).isEqualTo("left open");
  }

  @Test
  void aScriptThatHandlesSigtermAsTheDocsSayHasItsMainFinalizedWarmAsCold() {
    project.script(
        "handles.py",
        FINALIZED_MARK
            + "import signal\n"
            + "def stop(signum, frame):\n"
            + "    raise SystemExit(143)\n"
            + "signal.signal(signal.SIGTERM, stop)\n"
            + "mark = Mark()\n"
            + "print('{}')\n");

    ExecutionRecord coldRun = run(cold, "handles.py");
    ExecutionRecord warmRun = runWarm("handles.py");

    assertThat(coldRun.stderr()).isEqualTo("the mark was finalized\n");
    assertThat(warmRun.stderr()).isEqualTo(coldRun.stderr());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "atexit._run_exitfuncs = int\n",
        "gc.collect = int\n",
        "real = builtins.__import__\n"
            + "def traced(name, *args, **kwargs):\n"
            + "    print('imported', name, file=sys.stderr)\n"
            + "    return real(name, *args, **kwargs)\n"
            + "builtins.__import__ = traced\n",
      })
  void whatTheScriptReplacesOfTheRuntimeLeavesTheWarmEndAsTheColdOne(String replacement) {
    project.script(
        "replaces.py",
        "import atexit, builtins, gc, sys\n"
            + "class Cycle:\n"
            + "    def __del__(self):\n"
            + "        print('the cycle was finalized', file=sys.stderr)\n"
            + "cycle = Cycle()\n"
            + "cycle.me = cycle\n"
            + "atexit.register(print, 'atexit ran', file=sys.stderr)\n"
            + replacement
            + "print('{}')\n");

    ExecutionRecord coldRun = run(cold, "replaces.py");
    ExecutionRecord warmRun = runWarm("replaces.py");

    assertThat(coldRun.stderr()).contains("atexit ran", "the cycle was finalized");
    assertThat(warmRun.stderr()).isEqualTo(coldRun.stderr());
    assertThat(warmRun.usage().maxRssKib()).as("the end report came").isPositive();
  }

  @Test
  void aNonDaemonThreadStillRunningAtTheEndIsJoined() throws IOException {
    project.script(
        "thread.py",
        "import json, os, sys, threading, time\n"
            + "out = json.load(sys.stdin)['out']\n"
            + "def late():\n"
            + "    time.sleep(0.5)\n"
            + "    with open(os.path.join(out, 'thread.txt'), 'w') as done:\n"
            + "        done.write('joined')\n"
            + "    print(json.dumps({'joined': True}))\n"
            + "threading.Thread(target=late).start()\n");

    ExecutionRecord record = runWarm("thread.py");

    assertThat(record.status()).as(record.stderr()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("joined").asBoolean()).isTrue();
    assertThat(written("thread.txt")).isEqualTo("joined");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "import sys\nsys.modules['also_json'] = json\n"})
  void anObjectOnlyAPreloadedModuleHoldsIsFinalizedColdButNotWarm(String alias) {
    project.script(
        "mark.py", FINALIZED_MARK + "import json\njson.kept = Mark()\n" + alias + "print('{}')\n");

    ExecutionRecord coldRun = run(cold, "mark.py");
    ExecutionRecord warmRun = runWarm("mark.py");

    assertThat(coldRun.stderr()).contains("the mark was finalized");
    assertThat(warmRun.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(warmRun.stderr()).doesNotContain("the mark was finalized");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "import sys\nsys.modules['re'] = type(sys)('re')\n",
        "import sys\nsys.modules = dict(sys.modules)\n",
        "import threading, time\nthreading.Thread(target=time.sleep, args=(30,), daemon=True)"
            + ".start()\n",
        "import atexit, threading, time\natexit.register(lambda: threading.Thread("
            + "target=time.sleep, args=(30,), daemon=True).start())\n",
        "import sys\nsys.stdout.flush = None\n",
      })
  void whereTheQuickExitCouldDifferTheNormalExitEndsTheWarmRun(String unusual) {
    project.script(
        "unusual.py",
        FINALIZED_MARK + "import json\njson.kept = Mark()\n" + unusual + "print('{}')\n");

    ExecutionRecord coldRun = run(cold, "unusual.py");
    ExecutionRecord warmRun = runWarm("unusual.py");

    assertThat(warmRun.stderr())
        .as("the normal exit tore down the preloaded modules")
        .contains("the mark was finalized")
        .isEqualTo(coldRun.stderr());
    assertThat(warmRun.status()).isEqualTo(coldRun.status());
    assertThat(warmRun.exitCode()).isEqualTo(coldRun.exitCode());
  }
}
