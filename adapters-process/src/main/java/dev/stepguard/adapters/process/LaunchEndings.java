package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ResourceUsage;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads how a run ended from what the runner saw, what the bootstrap reported and what the run's
 * cgroups counted. What the runner did itself (timeout, cancellation, output cap) comes first: a
 * report cannot be trusted once the run was killed; then the kernel's word that the run as a whole
 * ran out of memory.
 */
final class LaunchEndings {
  /** Exit statuses above this mean the process died by signal (status - 128). */
  private static final int SIGNAL_BASE = 128;

  private LaunchEndings() {}

  /**
   * The run's ending; {@link LaunchResult.NotStarted} when the bootstrap could not confine the
   * script and so ran none of it.
   */
  static LaunchResult of(
      ProcessRunner.Observation seen,
      Interpreter interpreter,
      Limits limits,
      RunCgroup.Reading cgroup) {
    BootstrapReport.Split split =
        BootstrapReport.split(seen.stderrHead(), seen.stderr(), seen.stderrWhole());
    BootstrapReport report = split.report();
    if (report.unconfined().isPresent() && !seen.endedByRunner() && !seen.stdoutOverflow()) {
      return new LaunchResult.NotStarted(
          "the sandbox could not forbid user namespaces to the script ("
              + report.unconfined().get()
              + "), so it was not run; the sandbox needs Linux on x86_64 or aarch64 with"
              + " seccomp, or choose --isolation process",
          interpreter);
    }
    Optional<Integer> confirmedExit =
        seen.endedByRunner() ? Optional.empty() : report.confirmedExit(seen.exitValue());
    byte[] stderr = split.scriptStderr();
    int keep = (int) Math.min(stderr.length, limits.stderrTailBytes());
    return new LaunchResult.Completed(
        end(seen, report, confirmedExit, limits.stdoutBytes(), cgroup.outOfMemory()),
        seen.stdout(),
        new String(stderr, stderr.length - keep, keep, StandardCharsets.UTF_8),
        !seen.stderrWhole() || keep < stderr.length,
        (confirmedExit.isPresent() ? report.usage() : ResourceUsage.UNKNOWN)
            .withRun(cgroup.peakKib(), cgroup.memoryCap(), cgroup.processCap()),
        interpreter,
        report.sha256().orElse(null));
  }

  private static ProcessEnd end(
      ProcessRunner.Observation seen,
      BootstrapReport report,
      Optional<Integer> confirmedExit,
      long stdoutLimit,
      boolean runOutOfMemory) {
    if (seen.deadlinePassed()) {
      return new ProcessEnd.DeadlinePassed(seen.killedBy());
    }
    if (seen.cancelled()) {
      return new ProcessEnd.Cancelled(seen.killedBy());
    }
    if (seen.stdoutOverflow()) {
      return new ProcessEnd.StdoutOverflow(stdoutLimit);
    }
    if (report.refused().isPresent()) {
      return new ProcessEnd.ScriptRefused(report.refused().get());
    }
    if (runOutOfMemory) {
      return new ProcessEnd.RunMemoryExhausted();
    }
    if (confirmedExit.isPresent()) {
      return report.memoryError()
          ? new ProcessEnd.MemoryExhausted()
          : new ProcessEnd.Exited(confirmedExit.get());
    }
    int status = seen.exitValue();
    return status > SIGNAL_BASE
        ? new ProcessEnd.Signaled(status - SIGNAL_BASE)
        : new ProcessEnd.Exited(status);
  }
}
