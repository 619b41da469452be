package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.port.Launch;
import jakarta.inject.Inject;
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
final class SandboxProcessLauncher extends IsolatedLauncher {
  /** The unprivileged user scripts run as when stepguard is root. */
  static final int NOBODY = 65534;

  /** bubblewrap's own processes in a run: the monitor outside and the init inside the sandbox. */
  private static final int BWRAP_PROCESSES = 2;

  private final Bubblewrap bubblewrap;
  private final List<String> writable;
  private final List<String> pythonPath;
  private final Map<String, String> hostEnvironment = System.getenv();
  private final boolean root = Users.runningAsRoot();

  @Inject
  SandboxProcessLauncher(PythonLocator python, Bubblewrap bubblewrap, ProcessSettings settings) {
    this(python, bubblewrap, settings, CgroupHost.current());
  }

  /** A launcher that makes each run's cgroups where {@code cgroups} says. */
  SandboxProcessLauncher(
      PythonLocator python, Bubblewrap bubblewrap, ProcessSettings settings, CgroupHost cgroups) {
    super(
        Isolation.SANDBOX,
        python,
        cgroups,
        SandboxCommand::isScriptProcess,
        BWRAP_PROCESSES,
        ResourceCap.USER);
    this.bubblewrap = Objects.requireNonNull(bubblewrap, "bubblewrap");
    this.writable = Objects.requireNonNull(settings, "settings").writable();
    this.pythonPath = settings.pythonPath();
  }

  /**
   * Refuses a run bubblewrap cannot hold, whose interpreter's installation contains the project,
   * whose writable directories fail their checks, or (as root) whose project nobody cannot read.
   */
  @Override
  Prepared prepare(PythonLocator.Discovery.Found found, Launch launch) {
    Bubblewrap.Probe sandbox = bubblewrap.probe();
    if (sandbox instanceof Bubblewrap.Probe.Broken broken) {
      return new Prepared.Refused(
          "sandbox isolation is not available: "
              + broken.reason()
              + ". "
              + Bubblewrap.INSTALL_HINT);
    }
    Bubblewrap.Probe.Works bwrap = (Bubblewrap.Probe.Works) sandbox;
    for (Path installation : SandboxCommand.installations(found, launch.projectRoot())) {
      if (launch.projectRoot().startsWith(installation)) {
        return new Prepared.Refused(
            "the interpreter's installation "
                + installation
                + " contains the project; the sandbox would show it all. Use an interpreter"
                + " installed elsewhere");
      }
    }
    WritableDirectories.Checked directories =
        WritableDirectories.check(launch.projectRoot(), writable);
    if (directories.problem() != null) {
      return new Prepared.Refused(
          directories.problem() + "; fix sandbox.writable in the operator config");
    }
    if (root) {
      Optional<String> unreachable =
          NobodyAccess.problem(
              launch.projectRoot(),
              launch.script().value(),
              SandboxCommand.installations(found, launch.projectRoot()));
      if (unreachable.isPresent()) {
        return new Prepared.Refused(unreachable.get());
      }
    }
    return new Prepared.Ready(
        bwrap.executable(),
        cgroup -> command(found, launch, bwrap.executable(), directories, cgroup),
        () -> {});
  }

  /** bubblewrap with the checked writable directories bound in, running the bootstrap. */
  private ProcessBuilder command(
      PythonLocator.Discovery.Found found,
      Launch launch,
      Path bwrap,
      WritableDirectories.Checked directories,
      RunCgroup cgroup) {
    List<String> command =
        new ArrayList<>(
            WritableDirectories.bindThenRun(
                found.executable(),
                directories.directories(),
                SandboxCommand.of(bwrap, found, launch, directories.paths())));
    // The pids cgroup holds per run; RLIMIT_NPROC would count every run of the same user.
    command.addAll(
        Bootstrap.command(
            found,
            launch,
            Isolation.SANDBOX,
            !cgroup.capsProcesses(),
            root ? NOBODY : 0,
            pythonPath));
    return ChildEnvironment.builder(
        command, launch, found.argv0(), SandboxCommand.HOME, hostEnvironment);
  }
}
