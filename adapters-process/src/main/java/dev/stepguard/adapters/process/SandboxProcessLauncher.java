package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.port.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
final class SandboxProcessLauncher extends IsolatedLauncher implements AutoCloseable {
  /** The unprivileged user scripts run as when stepguard is root. */
  static final int NOBODY = 65534;

  /** bubblewrap's own processes in a run: the monitor outside and the init inside the sandbox. */
  private static final int BWRAP_PROCESSES = 2;

  private final Bubblewrap bubblewrap;
  private final List<String> writable;
  private final List<String> pythonPath;
  private final Map<String, String> hostEnvironment = System.getenv();
  private final boolean root = Users.runningAsRoot();
  private final PythonLocator python;
  private final Optional<WarmSandboxes> warm;

  SandboxProcessLauncher(PythonLocator python, Bubblewrap bubblewrap, ProcessSettings settings) {
    this(python, bubblewrap, settings, CgroupHost.current(), 0);
  }

  /**
   * A launcher that makes each run's cgroups where {@code cgroups} says.
   *
   * @param warmPool how many sandboxes wait, started ahead, for runs shaped like the last ones (up
   *     to {@link WarmSandboxes#MAX_SIZE}); 0 starts each run's sandbox with the run
   */
  SandboxProcessLauncher(
      PythonLocator python,
      Bubblewrap bubblewrap,
      ProcessSettings settings,
      CgroupHost cgroups,
      int warmPool) {
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
    this.python = python;
    this.warm =
        warmPool == 0 ? Optional.empty() : Optional.of(new WarmSandboxes(warmPool, cgroups));
  }

  /** Kills the sandboxes that wait for runs; runs under way are not touched. */
  @Override
  public void close() {
    warm.ifPresent(WarmSandboxes::close);
  }

  /** The pool of sandboxes started ahead, if on. */
  Optional<WarmSandboxes> warm() {
    return warm;
  }

  /**
   * Starts sandboxes ahead for runs shaped like {@code launch} (its project and limits), so that
   * even the first of them finds one waiting; does nothing when the pool is off or such a run would
   * be refused. Returns at once.
   */
  void prestart(Launch launch) {
    if (warm.isPresent()
        && python.locate(launch.projectRoot()) instanceof PythonLocator.Discovery.Found found
        && bubblewrap.probe() instanceof Bubblewrap.Probe.Works bwrap) {
      WritableDirectories.Checked directories =
          WritableDirectories.check(launch.projectRoot(), writable);
      if (directories.problem() == null) {
        shape(found, launch, bwrap, directories).ifPresent(warm.get()::fill);
      }
    }
  }

  /**
   * Refuses a run bubblewrap cannot hold, whose interpreter's installation contains the project,
   * whose writable directories fail their checks, or (as root) whose project nobody cannot read.
   */
  @Override
  Prepared prepare(PythonLocator.Discovery.Found found, Launch launch) {
    Bubblewrap.Probe sandbox = bubblewrap.probe();
    if (!(sandbox instanceof Bubblewrap.Probe.Works bwrap)) {
      return new Prepared.Refused(Bubblewrap.refusal(sandbox));
    }
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
    Optional<WarmSandboxes.Taken> started =
        warm.flatMap(pool -> shape(found, launch, bwrap, directories).flatMap(pool::take));
    if (started.isPresent()) {
      WarmSandboxes.Taken taken = started.get();
      return new Prepared.Claimed(
          taken.process(),
          cgroup ->
              Bootstrap.header(
                  arguments(found, launch, cgroup), environment(found, launch, hostEnvironment)),
          () -> {
            try {
              WarmSandboxes.discard(taken.process());
              taken.cgroup().close();
            } finally {
              taken.replace().run();
            }
          },
          Optional.of(taken.cgroup()));
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

  /** The bootstrap's arguments for {@code launch}, handed to a sandbox started ahead. */
  private List<String> arguments(
      PythonLocator.Discovery.Found found, Launch launch, RunCgroup cgroup) {
    return Bootstrap.arguments(
        found, launch, Isolation.SANDBOX, !cgroup.capsProcesses(), root ? NOBODY : 0, pythonPath);
  }

  private static Map<String, String> environment(
      PythonLocator.Discovery.Found found, Launch launch, Map<String, String> host) {
    return ChildEnvironment.of(
        launch, found.argv0(), SandboxCommand.HOME, launch.projectRoot(), host);
  }

  /**
   * How the sandbox of {@code launch} is started, or empty if its project or interpreter cannot be
   * identified.
   */
  private Optional<WarmSandboxes.Shape> shape(
      PythonLocator.Discovery.Found found,
      Launch launch,
      Bubblewrap.Probe.Works bwrap,
      WritableDirectories.Checked directories) {
    List<Object> identities;
    try {
      identities =
          List.of(
              Files.readAttributes(launch.projectRoot(), "unix:dev,ino", LinkOption.NOFOLLOW_LINKS),
              Files.readAttributes(found.executable(), "unix:dev,ino,ctime"));
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
    List<String> command =
        new ArrayList<>(
            WritableDirectories.bindThenRun(
                found.executable(),
                directories.directories(),
                SandboxCommand.of(bwrap.executable(), found, launch, directories.paths())));
    command.addAll(Bootstrap.warmCommand(found));
    return Optional.of(
        WarmSandboxes.Shape.of(
            command,
            environment(found, launch, hostEnvironment),
            launch.projectRoot(),
            identities,
            found.bootstrapCode()));
  }
}
