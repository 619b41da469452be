package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The steps of every launch, whatever the isolation: find Python, let the isolation check and set
 * up the run, make the run's cgroups, start the child, announce it (cgroup entry and {@code
 * onStart}, before any input), watch it to its end and read how it ended. A subclass says only how
 * its isolation checks, sets up and builds a run's command line.
 */
abstract class IsolatedLauncher implements ProcessLauncher {
  private final Isolation isolation;
  private final PythonLocator python;
  private final CgroupHost cgroups;
  private final ProcessRunner runner;
  private final int helperProcesses;
  private final ResourceCap uncapped;

  /**
   * A launcher for {@code isolation}.
   *
   * @param terminable the processes that get SIGTERM when a run is stopped
   * @param helperProcesses processes of stepguard's own in each run, added to the run's task cap
   * @param uncapped how a run's reading reports a limit that no cgroup held
   */
  IsolatedLauncher(
      Isolation isolation,
      PythonLocator python,
      CgroupHost cgroups,
      Predicate<ProcessHandle> terminable,
      int helperProcesses,
      ResourceCap uncapped) {
    this.isolation = Objects.requireNonNull(isolation, "isolation");
    this.python = Objects.requireNonNull(python, "python");
    this.cgroups = Objects.requireNonNull(cgroups, "cgroups");
    this.runner = new ProcessRunner(Objects.requireNonNull(terminable, "terminable"));
    this.helperProcesses = helperProcesses;
    this.uncapped = Objects.requireNonNull(uncapped, "uncapped");
  }

  /** A run checked and set up, or why not. */
  sealed interface Prepared {
    /** Why the run cannot start; nothing was made. */
    record Refused(String reason) implements Prepared {}

    /**
     * A run ready to start.
     *
     * @param program the program started first, named when it cannot be started
     * @param command the child's process builder for the run's cgroups (which may cap its
     *     processes)
     * @param release what frees the run's set-up, once every process of the run is gone
     */
    record Ready(Path program, Function<RunCgroup, ProcessBuilder> command, Runnable release)
        implements Accepted {
      @Override
      public void close() {
        release.run();
      }
    }

    /** A run that goes on: closing it frees what was set up for it. */
    sealed interface Accepted extends Prepared, AutoCloseable {
      @Override
      void close();
    }

    /**
     * A run given a child started ahead of it, which has its bootstrap and waits for the run.
     *
     * @param process the child, not yet in the run's cgroups (perhaps in its spare ones, below) and
     *     sent nothing of the run
     * @param header what the child reads before the script's input, for the run's cgroups
     * @param release what frees the child, once the run is over (or never began)
     * @param cgroup the child's {@link RunCgroup#spare} cgroups, which become the run's
     */
    record Claimed(
        Process process,
        Function<RunCgroup, byte[]> header,
        Runnable release,
        Optional<RunCgroup> cgroup)
        implements Accepted {
      @Override
      public void close() {
        release.run();
      }
    }
  }

  /**
   * Checks {@code launch} with the interpreter {@code found} for it and sets up what the run needs,
   * or says why it cannot run; nothing has started yet and the run's cgroups do not exist.
   */
  abstract Prepared prepare(PythonLocator.Discovery.Found found, Launch launch);

  /**
   * A started run's process, waiting for its stdin.
   *
   * @param stdin the process's whole stdin for the script's input: the compiled bootstrap (cold) or
   *     the run's header (warm), then the input
   */
  record Started(Process process, UnaryOperator<byte[]> stdin) {}

  /**
   * Starts the run's process as {@code command} says: by default a new interpreter (cold), which
   * reads the compiled bootstrap first. A launcher with warm interpreters may hand the run to one.
   */
  Started start(ProcessBuilder command, PythonLocator.Discovery.Found found) throws IOException {
    return new Started(LiveProcesses.start(command), input -> Bootstrap.stdin(found, input));
  }

  /** The run's cgroups: a claimed child's spare ones where it has them, else new ones. */
  private RunCgroup cgroupOf(Prepared.Accepted accepted, Launch launch) {
    String id = launch.id().value();
    if (accepted instanceof Prepared.Claimed claimed && claimed.cgroup().isPresent()) {
      return RunCgroup.adopt(claimed.cgroup().get(), cgroups, id, launch.limits(), helperProcesses);
    }
    return RunCgroup.create(cgroups, id, launch.limits(), helperProcesses);
  }

  @Override
  public final Isolation isolation() {
    return isolation;
  }

  /** Finds the interpreter (a process that answers in about 0.1 s) before the first launch. */
  @Override
  public final void ready() {
    python.locate();
  }

  @Override
  public final LaunchResult launch(Launch launch) {
    PythonLocator.Discovery discovery = python.locate(launch.projectRoot());
    if (discovery instanceof PythonLocator.Discovery.Absent absent) {
      return absent.notStarted();
    }
    PythonLocator.Discovery.Found found = (PythonLocator.Discovery.Found) discovery;
    Prepared prepared = prepare(found, launch);
    if (prepared instanceof Prepared.Refused refused) {
      return new LaunchResult.NotStarted(refused.reason(), found.interpreter());
    }
    // The cgroups are closed (their members killed) before the set-up is released.
    try (Prepared.Accepted accepted = (Prepared.Accepted) prepared;
        RunCgroup cgroup = cgroupOf(accepted, launch)) {
      Process process;
      UnaryOperator<byte[]> stdin;
      if (accepted instanceof Prepared.Claimed claimed) {
        process = claimed.process();
        byte[] header = claimed.header().apply(cgroup);
        // A warm process was started ahead by another; from here it is this run's to watch.
        LiveProcesses.watch(process.toHandle());
        stdin =
            input -> {
              byte[] all = Arrays.copyOf(header, header.length + input.length);
              System.arraycopy(input, 0, all, header.length, input.length);
              return all;
            };
      } else {
        Prepared.Ready ready = (Prepared.Ready) accepted;
        Started started;
        try {
          started = start(ready.command().apply(cgroup), found);
        } catch (IOException e) {
          return new LaunchResult.NotStarted(
              "could not start " + ready.program() + ": " + e.getMessage(), found.interpreter());
        }
        process = started.process();
        stdin = started.stdin();
      }
      try {
        Optional<String> refused = ProcessRunner.announce(process, launch, cgroup);
        if (refused.isPresent()) {
          return new LaunchResult.NotStarted(refused.get(), found.interpreter());
        }
        ProcessRunner.Observation seen =
            runner.watch(process, launch, stdin.apply(launch.stdin()), cgroup);
        return LaunchEndings.of(seen, found.interpreter(), launch.limits(), cgroup.read(uncapped));
      } finally {
        LiveProcesses.forget(process.toHandle());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new LaunchResult.NotStarted(
          "stepguard was interrupted while the script ran; it was stopped", found.interpreter());
    }
  }
}
