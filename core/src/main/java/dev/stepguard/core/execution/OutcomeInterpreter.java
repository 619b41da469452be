package dev.stepguard.core.execution;

import dev.stepguard.core.model.LimitKind;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Outcome;
import dev.stepguard.core.model.Signals;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;

/** Turns what a launcher saw into exactly one outcome. The one place that mapping lives. */
final class OutcomeInterpreter {
  /** rusage is counted in ticks; a run this close to its CPU limit when killed reached it. */
  private static final long CPU_SLACK_MS = 250;

  Outcome interpret(LaunchResult result, Limits limits, long timeoutMs, Cancellation cancellation) {
    if (result instanceof LaunchResult.NotStarted notStarted) {
      // A stop asked for while the launch was prepared (a Ctrl-C to the whole process group also
      // ends the interpreter check) explains the failed launch better than the launch does.
      return cancellation
          .requested()
          .<Outcome>map(request -> new Outcome.Cancelled(request, 0))
          .orElseGet(() -> new Outcome.LaunchFailed(notStarted.reason()));
    }
    LaunchResult.Completed completed = (LaunchResult.Completed) result;
    ProcessEnd end = completed.end();
    if (end instanceof ProcessEnd.Exited exited) {
      int code = exited.code();
      return code == 0 ? parseOutput(completed.stdout(), limits) : new Outcome.Failed(code);
    }
    if (end instanceof ProcessEnd.Signaled bySignal) {
      return signaled(bySignal.signal(), completed, limits);
    }
    if (end instanceof ProcessEnd.DeadlinePassed deadline) {
      return new Outcome.TimedOut(timeoutMs, deadline.signal());
    }
    if (end instanceof ProcessEnd.Cancelled cancelled) {
      return new Outcome.Cancelled(cancellation.requested().orElseThrow(), cancelled.signal());
    }
    if (end instanceof ProcessEnd.StdoutOverflow overflow) {
      long limit = overflow.limitBytes();
      return new Outcome.LimitExceeded(
          LimitKind.OUTPUT, "it wrote more than " + Sizes.bytes(limit) + " to stdout");
    }
    if (end instanceof ProcessEnd.MemoryExhausted) {
      return new Outcome.LimitExceeded(
          LimitKind.MEMORY,
          "Python raised MemoryError at its limit of " + Sizes.bytes(limits.memoryBytes()));
    }
    if (end instanceof ProcessEnd.RunMemoryExhausted) {
      return new Outcome.LimitExceeded(
          LimitKind.MEMORY,
          "its processes together reached the run's memory limit of "
              + Sizes.bytes(limits.memoryBytes())
              + " and the kernel killed one of them");
    }
    // The last permitted ProcessEnd: a new one added to the sealed interface fails this cast.
    return new Outcome.Rejected(((ProcessEnd.ScriptRefused) end).reason());
  }

  private Outcome parseOutput(byte[] stdout, Limits limits) {
    JsonObjectReader.Result parsed =
        JsonObjectReader.of(limits.jsonDepth(), limits.stdoutBytes()).read(stdout);
    if (parsed instanceof JsonObjectReader.Result.Parsed ok) {
      return new Outcome.Succeeded(ok.object());
    }
    return new Outcome.InvalidOutput(
        "stdout " + ((JsonObjectReader.Result.Invalid) parsed).problem());
  }

  private static Outcome signaled(int signal, LaunchResult.Completed completed, Limits limits) {
    long cpuLimitMs = limits.cpuTimeSeconds() * 1000;
    boolean reachedCpuLimit = completed.usage().cpuMs() >= cpuLimitMs - CPU_SLACK_MS;
    if (signal == Signals.SIGXCPU || (signal == Signals.SIGKILL && reachedCpuLimit)) {
      return new Outcome.LimitExceeded(
          LimitKind.CPU,
          "it used "
              + completed.usage().cpuMs()
              + " ms of CPU time; the limit is "
              + cpuLimitMs
              + " ms");
    }
    if (signal == Signals.SIGXFSZ) {
      return new Outcome.LimitExceeded(
          LimitKind.FILE_SIZE,
          "it wrote a file past the limit of " + Sizes.bytes(limits.fileSizeBytes()));
    }
    return new Outcome.Crashed(signal);
  }
}
