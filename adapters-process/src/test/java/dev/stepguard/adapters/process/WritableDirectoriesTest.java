package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.ProcessLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Case 45: writable directories are mounted exactly as checked, whatever a script swaps in. */
class WritableDirectoriesTest {
  private static final Bubblewrap BUBBLEWRAP = new Bubblewrap(System.getenv("PATH"));
  private static final PythonLocator PYTHON = Pythons.onPath(System.getenv("PATH"));

  @TempDir Path temp;
  private Path root;
  private Path outside;

  @BeforeEach
  void createProjectAndAnOutsideDirectory() throws IOException {
    root = new TestProject(temp).root();
    outside = openToAll(Files.createDirectories(temp.resolve("outside")));
    openToAll(Files.createDirectories(root.resolve("out/a")));
  }

  @Test
  void refusesNestedWritableDirectories() {
    WritableDirectories.Checked checked = WritableDirectories.check(root, List.of("out", "out/a"));

    assertThat(checked.problem()).contains("'out' and 'out/a' overlap");
    assertThat(WritableDirectories.check(root, List.of("out/a", "out")).problem())
        .contains("overlap");
    assertThat(WritableDirectories.check(root, List.of("out", "out/")).problem())
        .contains("overlap");
  }

  @Test
  void aRunWithNestedWritableDirectoriesFailsToLaunchSayingWhy() throws IOException {
    assumeSandbox();
    Files.writeString(root.resolve("a.py"), "print('{}')\n");
    ProcessLauncher launcher =
        new SandboxProcessLauncher(
            PYTHON, BUBBLEWRAP, new ProcessSettings(root, "python3", List.of("out", "out/a")));

    ExecutionRecord record = run(launcher, "a.py");

    assertThat(record.status()).isEqualTo(Status.LAUNCH_FAILED);
    assertThat(record.error().message()).contains("'out' and 'out/a' overlap");
  }

  @Test
  void refusesTheProjectItselfAndStepguardsOwnDirectory() throws IOException {
    Files.createDirectories(root.resolve(".stepguard/runs"));

    assertThat(WritableDirectories.check(root, List.of(".")).problem())
        .contains("must not be the project itself");
    assertThat(WritableDirectories.check(root, List.of(".stepguard/runs")).problem())
        .contains("inside stepguard's own .stepguard");
    assertThat(WritableDirectories.check(root, List.of("out/a/../..")).problem())
        .contains("must not be the project itself");
  }

  @Test
  void refusesAWritableDirectoryReachedThroughALink() throws IOException {
    Files.createSymbolicLink(root.resolve("link"), root.resolve("out"));

    assertThat(WritableDirectories.check(root, List.of("link/a")).problem())
        .contains("reached without symbolic links");
    assertThat(WritableDirectories.check(root, List.of("missing")).problem())
        .contains("does not exist");
  }

  @Test
  void refusesToBindADirectorySwappedForALinkAfterTheCheck() throws Exception {
    assumeSandbox();
    WritableDirectories.Checked checked = WritableDirectories.check(root, List.of("out/a"));
    Path a = root.resolve("out/a");
    Files.move(a, root.resolve("out/a.real"));
    Files.createSymbolicLink(a, outside);

    Run run = bindAndTouch(checked);

    assertThat(run.exit()).isEqualTo(125);
    assertThat(run.stderr()).contains("stepguard-refused", "no longer a directory");
    assertThat(outside).isEmptyDirectory();
  }

  @Test
  void refusesToBindAnotherDirectoryPutInTheCheckedOnesPlace() throws Exception {
    assumeSandbox();
    WritableDirectories.Checked checked = WritableDirectories.check(root, List.of("out/a"));
    Path a = root.resolve("out/a");
    Files.move(a, root.resolve("out/a.real"));
    openToAll(Files.createDirectory(a));

    Run run = bindAndTouch(checked);

    assertThat(run.exit()).isEqualTo(125);
    assertThat(run.stderr()).contains("was replaced after it was checked");
    assertThat(a).isEmptyDirectory();
  }

  @Test
  void bindsTheCheckedDirectory() throws Exception {
    assumeSandbox();

    Run run = bindAndTouch(WritableDirectories.check(root, List.of("out/a")));

    assertThat(run.exit()).as(run.stderr()).isZero();
    assertThat(root.resolve("out/a/touched")).exists();
  }

  @Test
  void theScriptInheritsNoDescriptorOfAWritableDirectory() throws Exception {
    assumeSandbox();
    Files.writeString(
        root.resolve("fds.py"),
        "import json, os, stat\n"
            + "directories = []\n"
            + "for name in os.listdir('/proc/self/fd'):\n"
            + "    try:\n"
            + "        if stat.S_ISDIR(os.fstat(int(name)).st_mode):\n"
            + "            directories.append(name)\n"
            + "    except OSError:\n"
            + "        pass\n"
            + "open('out/a/done', 'w').write('x')\n"
            + "print(json.dumps({'directories': directories}))\n");
    ProcessLauncher launcher =
        new SandboxProcessLauncher(
            PYTHON, BUBBLEWRAP, new ProcessSettings(root, "python3", List.of("out/a")));

    ExecutionRecord record = run(launcher, "fds.py");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("directories")).isEmpty();
    assertThat(root.resolve("out/a/done")).exists();
  }

  @Test
  void aDirectorySwappedForALinkWhileRunsStartNeverMountsAnythingOutside() throws Exception {
    assumeSandbox();
    Files.writeString(
        root.resolve("write.py"),
        "import json, os\n"
            + "try:\n"
            + "    open('out/a/%d' % os.getpid(), 'w').write('x')\n"
            + "    wrote = True\n"
            + "except OSError:\n"
            + "    wrote = False\n"
            + "print(json.dumps({'wrote': wrote}))\n");
    ProcessLauncher launcher =
        new SandboxProcessLauncher(
            PYTHON, BUBBLEWRAP, new ProcessSettings(root, "python3", List.of("out/a")));
    AtomicBoolean running = new AtomicBoolean(true);
    Thread swapper = new Thread(() -> swapUntilStopped(running), "swapper");
    swapper.start();
    List<ExecutionRecord> records = new ArrayList<>();
    try {
      for (int i = 0; i < 30; i++) {
        records.add(run(launcher, "write.py"));
      }
    } finally {
      running.set(false);
      swapper.join();
    }

    assertThat(outside).isEmptyDirectory();
    assertThat(records)
        .extracting(ExecutionRecord::status)
        .allMatch(
            status ->
                status == Status.SUCCEEDED
                    || status == Status.LAUNCH_FAILED
                    || status == Status.REJECTED
                    || status == Status.FAILED);
  }

  /** Swaps {@code out/a} between the directory and a link to the outside directory. */
  private void swapUntilStopped(AtomicBoolean running) {
    Path a = root.resolve("out/a");
    Path real = root.resolve("out/a.real");
    Random random = new Random();
    try {
      while (running.get()) {
        LockSupport.parkNanos(random.nextLong(3_000_000));
        Files.move(a, real);
        Files.createSymbolicLink(a, outside);
        LockSupport.parkNanos(random.nextLong(1_000_000));
        Files.delete(a);
        Files.move(real, a);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ExecutionRecord run(ProcessLauncher launcher, String script) {
    ScriptExecutor executor =
        new ScriptExecutor(
            new FilesystemPathPolicy(root),
            launcher,
            new InMemoryExecutionStore(),
            new ProcfsProcessTable(),
            Redactor.defaults(),
            Clock.systemUTC());
    Duration timeout = Duration.ofSeconds(20);
    return executor.execute(
        ExecutionRequest.standalone(
            script,
            "{}",
            timeout,
            Duration.ofSeconds(1),
            Limits.defaults(timeout.toMillis()),
            Requester.cli("test")));
  }

  private record Run(int exit, String stderr) {}

  /** Runs the binder and bwrap by hand, as the launcher does, with {@code touch} as the script. */
  private Run bindAndTouch(WritableDirectories.Checked checked) throws Exception {
    assertThat(checked.problem()).isNull();
    PythonLocator.Discovery.Found python = (PythonLocator.Discovery.Found) PYTHON.locate();
    Path bwrap = ((Bubblewrap.Probe.Works) BUBBLEWRAP.probe()).executable();
    List<String> sandbox =
        new ArrayList<>(
            SandboxCommand.of(
                bwrap,
                python,
                new Launch(
                    ExecutionId.random(),
                    root,
                    new ScriptPath("a.py"),
                    new byte[0],
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    Limits.defaults(5000),
                    Map.of()),
                checked.paths()));
    sandbox.addAll(List.of("/bin/touch", root.resolve("out/a/touched").toString()));
    Process process =
        new ProcessBuilder(
                WritableDirectories.bindThenRun(
                    python.executable(), checked.directories(), sandbox))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    process.getOutputStream().close();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(process.waitFor(), stderr);
  }

  private static void assumeSandbox() {
    assumeTrue(
        BUBBLEWRAP.probe() instanceof Bubblewrap.Probe.Works,
        () -> "bubblewrap does not work here: " + BUBBLEWRAP.check().detail());
  }

  private static Path openToAll(Path directory) throws IOException {
    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
    return directory;
  }
}
