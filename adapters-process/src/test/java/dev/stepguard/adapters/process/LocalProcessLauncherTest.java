package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.stepguard.core.model.ContainedPath;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ProcessEnd;
import dev.stepguard.core.port.ProcessLauncher;
import dev.stepguard.core.port.ProcessTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalProcessLauncherTest {
  private final ProcessLauncher launcher =
      new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")));

  @TempDir Path temp;

  private static Launch launch(Path root, String script, Map<String, String> env) {
    return new Launch(
        ExecutionId.random(),
        root,
        new ScriptPath(script),
        "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Duration.ofSeconds(20),
        Duration.ofSeconds(1),
        Limits.defaults(20_000),
        env);
  }

  @Test
  void refusesToRunAScriptSwappedForALinkAfterValidation() {
    TestProject project = new TestProject(temp);
    project.file(temp.resolve("evil.py"), "print('{\"pwned\": true}')");
    project.link("swapped.py", temp.resolve("evil.py"));

    LaunchResult result = launcher.launch(launch(project.root(), "swapped.py", Map.of()));

    LaunchResult.Completed completed = (LaunchResult.Completed) result;
    assertThat(completed.end()).isInstanceOf(ProcessEnd.ScriptRefused.class);
    assertThat(((ProcessEnd.ScriptRefused) completed.end()).reason()).contains("symbolic link");
    assertThat(completed.stdout()).isEmpty();
  }

  @Test
  void refusesADirectoryLinkSwappedInAfterValidation() {
    TestProject project = new TestProject(temp);
    project.file(temp.resolve("elsewhere/a.py"), "print('{}')");
    project.link("lib", temp.resolve("elsewhere"));

    LaunchResult.Completed completed =
        (LaunchResult.Completed) launcher.launch(launch(project.root(), "lib/a.py", Map.of()));

    assertThat(completed.end()).isInstanceOf(ProcessEnd.ScriptRefused.class);
  }

  @Test
  void saysPythonIsMissingInsteadOfStarting() {
    ProcessLauncher withoutPython = new LocalProcessLauncher(Pythons.onPath(temp.toString()));

    LaunchResult result = withoutPython.launch(launch(temp, "a.py", Map.of()));

    assertThat(result).isInstanceOf(LaunchResult.NotStarted.class);
    assertThat(((LaunchResult.NotStarted) result).reason()).contains("Install Python 3.8");
  }

  @Test
  void passesDeclaredVariablesButNeverOverridesTheFixedOnes() throws Exception {
    TestProject project =
        new TestProject(temp)
            .script(
                "env.py",
                "import json, os\nprint(json.dumps({k: os.environ.get(k) for k in ('API_URL', 'HOME')}))\n");

    LaunchResult.Completed completed =
        (LaunchResult.Completed)
            launcher.launch(
                launch(project.root(), "env.py", Map.of("API_URL", "http://x", "HOME", "/root")));

    String stdout = new String(completed.stdout(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(stdout).contains("\"API_URL\": \"http://x\"").doesNotContain("\"HOME\": \"/root\"");
  }

  @Test
  void theModulesWireAPolicyALauncherAndAPythonCheck() throws Exception {
    Path root = Files.createDirectories(temp.resolve("p"));
    Injector injector =
        Guice.createInjector(
            new ProcessAdapterModule(new ProcessSettings(root, ProcessSettings.DEFAULT_PYTHON)),
            new LocalLauncherModule());

    assertThat(injector.getInstance(PathPolicy.class).projectRoot()).isEqualTo(root.toRealPath());
    assertThat(injector.getInstance(ProcessLauncher.class).isolation())
        .isEqualTo(Isolation.PROCESS);
    Set<HealthCheck> checks = injector.getInstance(Key.get(new TypeLiteral<Set<HealthCheck>>() {}));
    assertThat(checks)
        .extracting(check -> check.check().component())
        .containsExactlyInAnyOrder("python", "sandbox");
    assertThat(injector.getInstance(ProcessTable.class).self().pid())
        .isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void theModuleLooksForThePythonAheadWithTheLocatorItsLaunchesUse() throws Exception {
    Path root = Files.createDirectories(temp.resolve("p"));
    Path asked = temp.resolve("asked");
    Path python = temp.resolve("py");
    Files.writeString(
        python,
        "#!/bin/sh\necho asked >>" + asked + "; cat >/dev/null; echo; echo 3.12.1; echo e3\n");
    Files.setPosixFilePermissions(
        python, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Injector injector =
        Guice.createInjector(
            new ProcessAdapterModule(new ProcessSettings(root, python.toString())),
            new LocalLauncherModule());

    ProcessAdapterModule.lookForPythonAhead(injector);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.exists(asked) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(asked).as("asked before anything launches").exists();
    assertThat(injector.getInstance(PythonLocator.class).locate())
        .isInstanceOf(PythonLocator.Discovery.Found.class);
    assertThat(Files.readAllLines(asked)).as("asked once").containsExactly("asked");
  }

  @Test
  void theModulesDiskWalksProjectPathsAsScriptsAreWalked() throws Exception {
    Path root = Files.createDirectories(temp.resolve("p")).toRealPath();
    Files.writeString(root.resolve("a.py"), "");
    Files.createSymbolicLink(root.resolve("link.py"), root.resolve("a.py"));

    assertThat(ContainedPath.walk(ProcessAdapterModule.disk(), root, "a.py"))
        .isEqualTo(new ContainedPath.Found.Inside(root.resolve("a.py"), false));
    assertThat(ContainedPath.walk(ProcessAdapterModule.disk(), root, "link.py"))
        .isEqualTo(new ContainedPath.Found.Inside(root.resolve("a.py"), true));
  }

  @Test
  void aLaunchInterruptedWhileWaitingForAWarmInterpreterIsRefusedAndLeavesNoHome()
      throws Exception {
    Path root = Files.createDirectories(temp.resolve("p"));
    // A fork server that reads every request and forks nothing (its report pipe kept open on fd
    // 3): the launch waits for a child.
    Path python = temp.resolve("py");
    Path pid = temp.resolve("pid");
    Files.writeString(python, "#!/bin/sh\necho $$ >" + pid + "\nexec cat 3>&1 >/dev/null\n");
    Files.setPosixFilePermissions(
        python, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    PythonLocator.Discovery.Found found =
        new PythonLocator.Discovery.Found(
            python, python, new Interpreter(python.toString(), "3.12.1"), new byte[] {1});
    LocalProcessLauncher warm =
        new LocalProcessLauncher(
            Pythons.named(python.toString(), ""),
            CgroupHost.NONE,
            List.of(),
            new ProcessSettings.Warm(true, 1));
    Launch launch = launch(root, "a.py", Map.of());

    Thread.currentThread().interrupt();
    IsolatedLauncher.Prepared prepared;
    boolean stillInterrupted;
    try {
      prepared = warm.prepare(found, launch);
    } finally {
      stillInterrupted = Thread.interrupted();
      // The launcher keeps its fork server for later runs: this one goes with the test.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!(Files.exists(pid) && Files.size(pid) > 0) && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      for (long server : Leftover.pids(pid)) {
        ProcessHandle.of(server).ifPresent(ProcessHandle::destroyForcibly);
        assertThat(Leftover.stillRuns(server)).isFalse();
      }
    }

    assertThat(prepared)
        .isEqualTo(
            new IsolatedLauncher.Prepared.Refused(
                "interrupted while waiting for a warm interpreter"));
    assertThat(stillInterrupted).as("the interrupt is kept for the caller").isTrue();
    // The run's home was removed: a home of the same name can be made again.
    PrivateHome.create(launch.id().value()).close();
  }

  @Test
  void settingsNeedAnInterpreterName() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ProcessSettings(temp, " "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void privateHomeRemovalDeletesLinksNotTheirTargets() throws Exception {
    Path precious = Files.writeString(temp.resolve("precious.txt"), "keep me");
    PrivateHome home = PrivateHome.create(java.util.UUID.randomUUID().toString());
    Files.createSymbolicLink(home.path().resolve("link"), precious);
    Files.createDirectories(home.path().resolve("a/b"));
    Files.writeString(home.path().resolve("a/b/c.txt"), "x");

    home.close();

    assertThat(home.path()).doesNotExist();
    assertThat(precious).hasContent("keep me");
  }

  @Test
  void keepsTheDirectoryOfRunHomesUntilItsLastRunEndsAndNoLonger() throws Exception {
    PrivateHome first = PrivateHome.create(java.util.UUID.randomUUID().toString());
    PrivateHome second = PrivateHome.create(java.util.UUID.randomUUID().toString());
    Path parent = first.path().getParent();
    assertThat(second.path().getParent()).isEqualTo(parent);

    first.close();
    first.close();
    assertThat(parent).isDirectory();
    second.close();

    assertThat(parent).doesNotExist();
    PrivateHome next = PrivateHome.create(java.util.UUID.randomUUID().toString());
    assertThat(next.path()).isDirectory();
    next.close();
    assertThat(next.path().getParent()).doesNotExist();
  }
}
