package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessLauncher;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code process} isolation: the bootstrap started directly as a child (no shell), with an argument
 * vector, an allowlisted environment, {@code python -I}, and no inherited descriptors (the JDK
 * closes every descriptor above 2 in the child). Where the host offers cgroups, the run's memory
 * and processes are capped as a whole; no per-process limit holds the number of processes.
 */
final class LocalProcessLauncher implements ProcessLauncher {
  private final PythonLocator python;
  private final ProcessRunner runner = new ProcessRunner(process -> true);
  private final Map<String, String> hostEnvironment = System.getenv();
  private final CgroupHost cgroups;

  @Inject
  LocalProcessLauncher(PythonLocator python) {
    this(python, CgroupHost.current());
  }

  /** A launcher that makes each run's cgroups where {@code cgroups} says. */
  LocalProcessLauncher(PythonLocator python, CgroupHost cgroups) {
    this.python = Objects.requireNonNull(python, "python");
    this.cgroups = Objects.requireNonNull(cgroups, "cgroups");
  }

  @Override
  public Isolation isolation() {
    return Isolation.PROCESS;
  }

  @Override
  public LaunchResult launch(Launch launch) {
    PythonLocator.Discovery discovery = python.locate(launch.projectRoot());
    if (discovery instanceof PythonLocator.Discovery.Missing) {
      return ((PythonLocator.Discovery.Missing) discovery).notStarted();
    }
    PythonLocator.Discovery.Found found = (PythonLocator.Discovery.Found) discovery;
    try (PrivateHome home = PrivateHome.create(launch.id().value());
        RunCgroup cgroup = RunCgroup.create(cgroups, launch.id().value(), launch.limits(), 0)) {
      ProcessBuilder builder =
          ChildEnvironment.builder(
              Bootstrap.command(found, launch, Isolation.PROCESS, false, 0),
              launch,
              found.argv0(),
              home.path(),
              hostEnvironment);
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        return new LaunchResult.NotStarted(
            "could not start " + found.executable() + ": " + e.getMessage(), found.interpreter());
      }
      Optional<String> refused = ProcessRunner.announce(process, launch, cgroup);
      if (refused.isPresent()) {
        return new LaunchResult.NotStarted(refused.get(), found.interpreter());
      }
      ProcessRunner.Observation seen =
          runner.watch(process, launch, Bootstrap.stdin(found, launch.stdin()), cgroup);
      return Endings.of(seen, found.interpreter(), launch.limits(), cgroup.read(ResourceCap.NONE));
    } catch (IOException e) {
      return new LaunchResult.NotStarted(
          "could not create the run's private home directory: " + e.getMessage(),
          found.interpreter());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new LaunchResult.NotStarted(
          "stepguard was interrupted while the script ran; it was stopped", found.interpreter());
    }
  }
}
