package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.port.Launch;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code process} isolation: the bootstrap started directly as a child (no shell), with an argument
 * vector, an allowlisted environment, {@code python -I}, and no inherited descriptors (the JDK
 * closes every descriptor above 2 in the child). Where the host offers cgroups, the run's memory
 * and processes are capped as a whole; no per-process limit holds the number of processes.
 *
 * <p>With warm interpreters on ({@link ProcessSettings.Warm}), a run is handed to a child that a
 * fork server forked for it beforehand instead (see {@link WarmInterpreters}): the same command,
 * environment and bootstrap, without the interpreter's start; it falls back to a cold start
 * whenever no warm child is ready in time.
 */
final class LocalProcessLauncher extends IsolatedLauncher {
  private final Map<String, String> hostEnvironment = System.getenv();
  private final List<String> pythonPath;
  private final Optional<WarmInterpreters> warm;

  @Inject
  LocalProcessLauncher(PythonLocator python, ProcessSettings settings) {
    this(python, CgroupHost.current(), settings.pythonPath(), settings.warm());
  }

  /** A launcher with no helper directories on {@code sys.path}. */
  LocalProcessLauncher(PythonLocator python) {
    this(python, ProcessSettings.Warm.OFF);
  }

  /** A launcher with no helper directories on {@code sys.path}, warm as {@code warm} says. */
  LocalProcessLauncher(PythonLocator python, ProcessSettings.Warm warm) {
    this(python, CgroupHost.current(), List.of(), warm);
  }

  /** A launcher that makes each run's cgroups where {@code cgroups} says. */
  LocalProcessLauncher(PythonLocator python, CgroupHost cgroups) {
    this(python, cgroups, List.of(), ProcessSettings.Warm.OFF);
  }

  LocalProcessLauncher(
      PythonLocator python,
      CgroupHost cgroups,
      List<String> pythonPath,
      ProcessSettings.Warm warm) {
    super(Isolation.PROCESS, python, cgroups, process -> true, 0, ResourceCap.NONE);
    this.pythonPath = List.copyOf(pythonPath);
    this.warm =
        warm.enabled() ? Optional.of(new WarmInterpreters(warm.pool(), cgroups)) : Optional.empty();
  }

  /**
   * Gives the run a private home directory, removed after the run, and a warm interpreter when they
   * are on and one is ready in time; it starts cold otherwise.
   */
  @Override
  Prepared prepare(PythonLocator.Discovery.Found python, Launch launch) {
    PrivateHome home;
    try {
      home = PrivateHome.create(launch.id().value());
    } catch (IOException e) {
      return new Prepared.Refused(
          "could not create the run's private home directory: " + e.getMessage());
    }
    // Process isolation needs nothing of the run's cgroups for its command.
    ProcessBuilder command =
        ChildEnvironment.builder(
            Bootstrap.command(python, launch, Isolation.PROCESS, false, 0, pythonPath),
            launch,
            python.argv0(),
            home.path(),
            hostEnvironment);
    if (warm.isPresent()) {
      try {
        Optional<Prepared.Claimed> claimed = warm.get().start(command, python, home::close);
        if (claimed.isPresent()) {
          return claimed.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        home.close();
        return new Prepared.Refused("interrupted while waiting for a warm interpreter");
      }
    }
    return new Prepared.Ready(python.executable(), cgroup -> command, home::close);
  }
}
