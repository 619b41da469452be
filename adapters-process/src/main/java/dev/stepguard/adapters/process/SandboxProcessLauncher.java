package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessLauncher;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code sandbox} isolation: the same bootstrap, limits and pipes as the process launcher, inside
 * bubblewrap, with user namespaces forbidden by the bootstrap's seccomp filter. Where the host
 * offers cgroups, the run's memory and processes are capped as a whole; elsewhere the process limit
 * is RLIMIT_NPROC. When stepguard runs as root the script runs as {@code nobody} (uid 65534), and a
 * project nobody cannot read is refused before anything starts.
 */
final class SandboxProcessLauncher implements ProcessLauncher {
  /** The unprivileged user scripts run as when stepguard is root. */
  static final int NOBODY = 65534;

  /** bubblewrap's own processes in a run: the monitor outside and the init inside the sandbox. */
  private static final int BWRAP_PROCESSES = 2;

  private final PythonLocator python;
  private final Bubblewrap bubblewrap;
  private final List<String> writable;
  private final ProcessRunner runner = new ProcessRunner(SandboxCommand::isScriptProcess);
  private final Map<String, String> hostEnvironment = System.getenv();
  private final boolean root = Users.runningAsRoot();
  private final CgroupHost cgroups;

  @Inject
  SandboxProcessLauncher(PythonLocator python, Bubblewrap bubblewrap, ProcessSettings settings) {
    this(python, bubblewrap, settings, CgroupHost.current());
  }

  /** A launcher that makes each run's cgroups where {@code cgroups} says. */
  SandboxProcessLauncher(
      PythonLocator python, Bubblewrap bubblewrap, ProcessSettings settings, CgroupHost cgroups) {
    this.cgroups = Objects.requireNonNull(cgroups, "cgroups");
    this.python = Objects.requireNonNull(python, "python");
    this.bubblewrap = Objects.requireNonNull(bubblewrap, "bubblewrap");
    this.writable = Objects.requireNonNull(settings, "settings").writable();
  }

  @Override
  public Isolation isolation() {
    return Isolation.SANDBOX;
  }

  @Override
  public LaunchResult launch(Launch launch) {
    PythonLocator.Discovery discovery = python.locate(launch.projectRoot());
    if (discovery instanceof PythonLocator.Discovery.Missing) {
      return ((PythonLocator.Discovery.Missing) discovery).notStarted();
    }
    PythonLocator.Discovery.Found found = (PythonLocator.Discovery.Found) discovery;
    Bubblewrap.Probe sandbox = bubblewrap.probe();
    if (sandbox instanceof Bubblewrap.Probe.Broken) {
      return new LaunchResult.NotStarted(
          "sandbox isolation is not available: "
              + ((Bubblewrap.Probe.Broken) sandbox).reason()
              + ". "
              + Bubblewrap.INSTALL_HINT,
          found.interpreter());
    }
    Bubblewrap.Probe.Works bwrap = (Bubblewrap.Probe.Works) sandbox;
    for (Path installation : SandboxCommand.installations(found, launch.projectRoot())) {
      if (launch.projectRoot().startsWith(installation)) {
        return new LaunchResult.NotStarted(
            "the interpreter's installation "
                + installation
                + " contains the project; the sandbox would show it all. Use an interpreter"
                + " installed elsewhere",
            found.interpreter());
      }
    }
    WritableDirectories.Checked directories =
        WritableDirectories.check(launch.projectRoot(), writable);
    if (directories.problem() != null) {
      return new LaunchResult.NotStarted(
          directories.problem() + "; fix sandbox.writable in the operator config",
          found.interpreter());
    }
    if (root) {
      Optional<String> unreachable =
          NobodyAccess.problem(
              launch.projectRoot(),
              launch.script().value(),
              SandboxCommand.installations(found, launch.projectRoot()));
      if (unreachable.isPresent()) {
        return new LaunchResult.NotStarted(unreachable.get(), found.interpreter());
      }
    }
    try (RunCgroup cgroup =
        RunCgroup.create(cgroups, launch.id().value(), launch.limits(), BWRAP_PROCESSES)) {
      List<String> command =
          new ArrayList<>(
              WritableDirectories.bindThenRun(
                  found.executable(),
                  directories.directories(),
                  SandboxCommand.of(bwrap.executable(), found, launch, directories.paths())));
      // The pids cgroup holds per run; RLIMIT_NPROC would count every run of the same user.
      command.addAll(
          Bootstrap.command(
              found, launch, Isolation.SANDBOX, !cgroup.capsProcesses(), root ? NOBODY : 0));
      ProcessBuilder builder =
          ChildEnvironment.builder(
              command, launch, found.argv0(), SandboxCommand.HOME, hostEnvironment);
      Process process = builder.start();
      Optional<String> refused = ProcessRunner.announce(process, launch, cgroup);
      if (refused.isPresent()) {
        return new LaunchResult.NotStarted(refused.get(), found.interpreter());
      }
      ProcessRunner.Observation seen =
          runner.watch(process, launch, Bootstrap.stdin(found, launch.stdin()), cgroup);
      return Endings.of(seen, found.interpreter(), launch.limits(), cgroup.read(ResourceCap.USER));
    } catch (IOException e) {
      return new LaunchResult.NotStarted(
          "could not start " + bwrap.executable() + ": " + e.getMessage(), found.interpreter());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new LaunchResult.NotStarted(
          "stepguard was interrupted while the script ran; it was stopped", found.interpreter());
    }
  }
}
