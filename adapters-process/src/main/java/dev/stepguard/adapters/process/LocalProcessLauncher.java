package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.port.Launch;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code process} isolation: the bootstrap started directly as a child (no shell), with an argument
 * vector, an allowlisted environment, {@code python -I}, and no inherited descriptors (the JDK
 * closes every descriptor above 2 in the child). Where the host offers cgroups, the run's memory
 * and processes are capped as a whole; no per-process limit holds the number of processes.
 */
final class LocalProcessLauncher extends IsolatedLauncher {
  private final Map<String, String> hostEnvironment = System.getenv();
  private final List<String> pythonPath;

  @Inject
  LocalProcessLauncher(PythonLocator python, ProcessSettings settings) {
    this(python, CgroupHost.current(), settings.pythonPath());
  }

  /** A launcher with no helper directories on {@code sys.path}. */
  LocalProcessLauncher(PythonLocator python) {
    this(python, CgroupHost.current(), List.of());
  }

  /** A launcher that makes each run's cgroups where {@code cgroups} says. */
  LocalProcessLauncher(PythonLocator python, CgroupHost cgroups) {
    this(python, cgroups, List.of());
  }

  private LocalProcessLauncher(PythonLocator python, CgroupHost cgroups, List<String> pythonPath) {
    super(Isolation.PROCESS, python, cgroups, process -> true, 0, ResourceCap.NONE);
    this.pythonPath = List.copyOf(pythonPath);
  }

  /** Gives the run a private home directory, removed after the run. */
  @Override
  Prepared prepare(PythonLocator.Discovery.Found python, Launch launch) {
    PrivateHome home;
    try {
      home = PrivateHome.create(launch.id().value());
    } catch (IOException e) {
      return new Prepared.Refused(
          "could not create the run's private home directory: " + e.getMessage());
    }
    return new Prepared.Ready(
        python.executable(),
        cgroup ->
            ChildEnvironment.builder(
                Bootstrap.command(python, launch, Isolation.PROCESS, false, 0, pythonPath),
                launch,
                python.argv0(),
                home.path(),
                hostEnvironment),
        home::close);
  }
}
