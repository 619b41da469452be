package dev.stepguard.core.execution;

import dev.stepguard.core.model.Signals;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;

/** The exit code, signal and ending signal a record shows for what the launcher saw. */
final class ExitFields {
  private ExitFields() {}

  static Integer exitCode(LaunchResult.Completed completed) {
    if (completed != null && completed.end() instanceof ProcessEnd.Exited exited) {
      return exited.code();
    }
    return null;
  }

  static String signal(LaunchResult.Completed completed) {
    if (completed != null && completed.end() instanceof ProcessEnd.Signaled signaled) {
      return Signals.name(signaled.signal());
    }
    return null;
  }

  /** The signal stepguard sent to end the run, for timeouts and cancellations; null otherwise. */
  static String endedBy(LaunchResult.Completed completed) {
    if (completed != null && completed.end() instanceof ProcessEnd.DeadlinePassed deadline) {
      return Signals.name(deadline.signal());
    }
    if (completed != null && completed.end() instanceof ProcessEnd.Cancelled cancelled) {
      int signal = cancelled.signal();
      return signal == 0 ? null : Signals.name(signal);
    }
    return null;
  }
}
