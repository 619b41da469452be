package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox launcher's set-up: finding bubblewrap, saying why not, and the mounts it asks for.
 */
class SandboxLauncherTest {
  @TempDir Path temp;

  private Launch launch(Path root) {
    return new Launch(
        ExecutionId.random(),
        root,
        new ScriptPath("a.py"),
        "{}".getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(5),
        Duration.ofSeconds(1),
        Limits.defaults(5000),
        Map.of());
  }

  private Path fakeBwrap(String body) throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path bwrap = bin.resolve("bwrap");
    Files.writeString(bwrap, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(bwrap, PosixFilePermissions.fromString("rwx------"));
    return bin;
  }

  @Test
  void saysBubblewrapIsMissingAndHowToInstallIt() {
    HealthReport report = new Bubblewrap(temp.toString()).check();

    assertThat(report.ok()).isFalse();
    assertThat(report.component()).isEqualTo("sandbox");
    assertThat(report.detail()).contains("bwrap was not found");
    assertThat(report.remedy()).contains("apt-get install bubblewrap", "--isolation process");
  }

  @Test
  void saysWhenBubblewrapCannotMakeNamespacesHere() throws Exception {
    Path bin =
        fakeBwrap(
            "if [ \"$1\" = --version ]; then echo 'bubblewrap 0.0'; exit 0; fi\n"
                + "echo 'bwrap: No permissions to create new namespace' >&2; exit 1");

    Bubblewrap.Probe probe = new Bubblewrap(bin.toString()).probe();

    assertThat(((Bubblewrap.Probe.Broken) probe).reason())
        .contains("cannot create namespaces here", "No permissions");
    assertThat(SandboxLauncherModule.unavailableBecause(new Bubblewrap(bin.toString())))
        .as("auto falls back to process isolation")
        .hasValueSatisfying(reason -> assertThat(reason).contains("cannot create namespaces"));
  }

  @Test
  void choosingIsolationTakesTheSandboxExactlyWhereBubblewrapWorksHere() {
    Bubblewrap.Probe probe = Bubblewrap.forProject(temp, List.of()).probe();

    Optional<String> unavailable = SandboxLauncherModule.unavailableBecause(temp, List.of());

    if (probe instanceof Bubblewrap.Probe.Broken broken) {
      assertThat(unavailable).contains(broken.reason());
    } else {
      assertThat(unavailable).isEmpty();
    }
  }

  @Test
  void reportsAWorkingBubblewrapWithItsVersion() {
    Bubblewrap bubblewrap = new Bubblewrap(System.getenv("PATH"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        bubblewrap.probe() instanceof Bubblewrap.Probe.Works, "bubblewrap does not work here");

    HealthReport report = bubblewrap.check();

    assertThat(report.ok()).isTrue();
    assertThat(report.detail()).startsWith("bubblewrap ");
    assertThat(bubblewrap.probe()).isSameAs(bubblewrap.probe());
  }

  @Test
  void failsToLaunchWithAnInstallHintInsteadOfFallingBack() {
    ProcessLauncher launcher =
        new SandboxProcessLauncher(
            Pythons.onPath(System.getenv("PATH")),
            new Bubblewrap(temp.toString()),
            new ProcessSettings(temp, "python3"));

    LaunchResult result = launcher.launch(launch(temp));

    assertThat(launcher.isolation()).isEqualTo(Isolation.SANDBOX);
    assertThat(((LaunchResult.NotStarted) result).reason())
        .contains("sandbox isolation is not available", "apt-get install bubblewrap");
  }

  @Test
  void refusesRunsWhileBwrapDoesNotAnswerAndAutoDoesNotFallBackToProcessIsolation()
      throws Exception {
    Path bin = fakeBwrap("echo $$ >>" + temp.resolve("pids") + "\nexec sleep 600");
    Bubblewrap bubblewrap = new Bubblewrap(bin.toString(), Duration.ofSeconds(1));
    ProcessLauncher launcher =
        new SandboxProcessLauncher(
            Pythons.onPath(System.getenv("PATH")),
            bubblewrap,
            new ProcessSettings(temp, "python3"));

    LaunchResult result = launcher.launch(launch(temp));

    assertThat(((LaunchResult.NotStarted) result).reason())
        .contains("sandbox isolation could not be checked", "did not answer within 1 s", "too busy")
        .doesNotContain("apt-get install");
    assertThat(SandboxLauncherModule.unavailableBecause(bubblewrap))
        .as("a busy moment is no reason for auto to run without the sandbox")
        .isEmpty();
    for (long pid : Leftover.pids(temp.resolve("pids"))) {
      assertThat(Leftover.stillRuns(pid)).as("process %d still runs", pid).isFalse();
    }
  }

  @Test
  void autoNeverRunsABwrapOfTheProjectOrItsWritableDirectoriesToChooseIsolation() throws Exception {
    Path root = Files.createDirectories(temp.resolve("proj"));
    Path ran = temp.resolve("ran");
    String searchPath = "";
    for (String directory : List.of(".venv/bin", "out")) {
      Path bin = Files.createDirectories(root.resolve(directory));
      Path planted = bin.resolve("bwrap");
      Files.writeString(planted, "#!/bin/sh\necho " + directory + " >>" + ran + "\nexit 1\n");
      Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwx------"));
      searchPath += bin + ":";
    }

    Optional<String> unavailable =
        SandboxLauncherModule.unavailableBecause(
            Bubblewrap.forProject(root, List.of("out"), searchPath + temp.resolve("none")));

    assertThat(ran).as("a project file ran on the host as bwrap").doesNotExist();
    assertThat(unavailable).hasValue("bwrap was not found on the PATH");
  }

  @Test
  void saysPythonIsMissingFirst() {
    ProcessLauncher launcher =
        new SandboxProcessLauncher(
            Pythons.onPath(temp.toString()),
            new Bubblewrap(temp.toString()),
            new ProcessSettings(temp, "python3"));

    LaunchResult result = launcher.launch(launch(temp));

    assertThat(((LaunchResult.NotStarted) result).reason()).contains("Install Python 3.8");
  }

  @Test
  void mountsTheProjectReadOnlyAndHidesStepguardsDirectory() throws Exception {
    Path root = Files.createDirectories(temp.resolve("work/proj/.stepguard"));
    Path project = root.getParent();

    List<String> args =
        SandboxCommand.of(
            Path.of("/usr/bin/bwrap"),
            new PythonLocator.Discovery.Found(
                Path.of("/opt/python/bin/python3"),
                Path.of("/opt/python/bin/python3"),
                new Interpreter("/opt/python/bin/python3", "3.11.2"),
                new byte[0]),
            launch(project),
            List.of(project.resolve("out")));
    String joined = String.join(" ", args);

    assertThat(args.get(0)).isEqualTo("/usr/bin/bwrap");
    assertThat(joined)
        .contains("--unshare-pid --unshare-net --unshare-ipc --unshare-uts")
        .contains("--die-with-parent")
        .contains("--ro-bind " + project + " " + project)
        .contains("--perms 0000 --tmpfs " + root)
        .contains("--bind-fd 0 " + project.resolve("out"))
        .contains("--ro-bind /opt/python /opt/python")
        .contains("--perms 0755 --dir /opt")
        .contains("--perms 0755 --dir /etc --ro-bind-try /etc/ld.so.cache /etc/ld.so.cache")
        .contains("--perms 1777 --size " + Limits.defaults(5000).tmpBytes() + " --tmpfs /dev/shm")
        .contains("--size " + Limits.defaults(5000).tmpBytes() + " --tmpfs /tmp")
        .contains("--chdir " + project + " --")
        .doesNotContain("--bind " + project + " ");
    assertThat(args.get(args.size() - 1)).isEqualTo("--");
  }

  @Test
  void mountsTheRealInstallationAndAVenvOutsideTheProject() {
    Path project = Path.of("/srv/proj");
    PythonLocator.Discovery.Found outside =
        new PythonLocator.Discovery.Found(
            Path.of("/opt/py/bin/python3.12"),
            Path.of("/srv/venvs/tool/bin/python"),
            new Interpreter("/srv/venvs/tool/bin/python", "3.12.1"),
            new byte[0]);
    PythonLocator.Discovery.Found inside =
        new PythonLocator.Discovery.Found(
            Path.of("/usr/bin/python3.11"),
            project.resolve("venv/bin/python"),
            new Interpreter(project.resolve("venv/bin/python").toString(), "3.11.2"),
            new byte[0]);

    assertThat(SandboxCommand.installations(outside, project))
        .containsExactly(Path.of("/opt/py"), Path.of("/srv/venvs/tool"));
    assertThat(SandboxCommand.installations(inside, project)).isEmpty();
  }

  @Test
  void refusesAnInterpreterInstallationThatContainsTheProject() throws Exception {
    Bubblewrap bubblewrap = new Bubblewrap(System.getenv("PATH"));
    org.junit.jupiter.api.Assumptions.assumeTrue(
        bubblewrap.probe() instanceof Bubblewrap.Probe.Works, "bubblewrap does not work here");
    Path python = Files.createDirectories(temp.resolve("inst/bin")).resolve("python3");
    Files.writeString(python, "#!/bin/sh\ncat >/dev/null; echo; echo 3.12.1; echo e3\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
    Path project = Files.createDirectories(temp.resolve("inst/proj"));
    ProcessLauncher launcher =
        new SandboxProcessLauncher(
            Pythons.named(python.toString(), ""),
            bubblewrap,
            new ProcessSettings(project, python.toString()));

    LaunchResult result = launcher.launch(launch(project));

    assertThat(((LaunchResult.NotStarted) result).reason())
        .contains("installation " + temp.resolve("inst") + " contains the project");
  }

  @Test
  void findsTheInterpretersInstallation() {
    assertThat(
            SandboxCommand.interpreterPrefix(Path.of("/root/.pyenv/versions/3.11.7/bin/python3")))
        .isEqualTo(Path.of("/root/.pyenv/versions/3.11.7"));
    assertThat(SandboxCommand.interpreterPrefix(Path.of("/python3"))).isEqualTo(Path.of("/usr"));
  }

  @Test
  void theModuleBindsTheSandboxLauncherAndItsHealthCheck() throws Exception {
    Path root = Files.createDirectories(temp.resolve("p"));
    Injector injector =
        Guice.createInjector(
            new ProcessAdapterModule(new ProcessSettings(root, ProcessSettings.DEFAULT_PYTHON)),
            new SandboxLauncherModule());

    assertThat(injector.getInstance(ProcessLauncher.class).isolation())
        .isEqualTo(Isolation.SANDBOX);
    Set<String> components =
        injector.getInstance(Key.get(new TypeLiteral<Set<HealthCheck>>() {})).stream()
            .map(check -> check.check().component())
            .collect(Collectors.toSet());
    assertThat(components).containsExactlyInAnyOrder("python", "sandbox");
  }
}
