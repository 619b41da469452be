package dev.stepguard.core.execution;

import dev.stepguard.core.model.Signals;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;

/** The exit code, signal and ending signal a record shows for what the launcher saw. */
final class ExitFields {
  private ExitFields() {}

  static Integer exitCode(LaunchResult.Completed completed) {
    if (completed != null && completed.end() instanceof ProcessEnd.Exited) {
      return ((ProcessEnd.Exited) completed.end()).code();
    }
    return null;
  }

  static String signal(LaunchResult.Completed completed) {
    if (completed != null && completed.end() instanceof ProcessEnd.Signaled) {
      return Signals.name(((ProcessEnd.Signaled) completed.end()).signal());
    }
    return null;
  }

  /** The signal stepguard sent to end the run, for timeouts and cancellations; null otherwise. */
  static String endedBy(LaunchResult.Completed completed) {
    if (completed != null && completed.end() instanceof ProcessEnd.DeadlinePassed) {
      return Signals.name(((ProcessEnd.DeadlinePassed) completed.end()).signal());
    }
    if (completed != null && completed.end() instanceof ProcessEnd.Cancelled) {
      int signal = ((ProcessEnd.Cancelled) completed.end()).signal();
      return signal == 0 ? null : Signals.name(signal);
    }
    return null;
  }
}
