package dev.stepguard.app.http;

import dev.stepguard.core.model.Status;
import java.util.Locale;

/**
 * What each status means, in the words of docs/script-authoring.md ("How a run can end"), and the
 * CSS class that colours it (the colour only repeats what the status text says).
 */
final class StatusWords {
  private StatusWords() {}

  static String meaning(Status status) {
    return switch (status) {
      case RUNNING -> "not ended yet: running, or queued for a run slot";
      case SUCCEEDED -> "exited 0 and printed one JSON object on stdout";
      case FAILED -> "exited with a non-zero code; the code and the stderr tail are below";
      case CRASHED -> "killed by a signal stepguard did not send (a crash, or the OOM killer)";
      case TIMED_OUT -> "ran past its timeout and was stopped";
      case LIMIT_EXCEEDED -> "hit a resource limit (output, CPU time, memory or file size)";
      case INVALID_OUTPUT -> "exited 0 but stdout was not exactly one JSON object";
      case REJECTED -> "refused before anything ran (path, script or input not acceptable)";
      case LAUNCH_FAILED -> "the process could not be started (Python or the sandbox missing)";
      case CANCELLED -> "stopped on request before it ended";
      case ABANDONED -> "the stepguard that ran it stopped during the run; a later one closed it";
    };
  }

  /** What {@code status} means for a workflow run, where it is that of the step that ended it. */
  static String workflowMeaning(Status status) {
    return status == Status.REJECTED
        ? "a step was refused before it started (path or input not acceptable); the steps before"
            + " it ran"
        : meaning(status);
  }

  /** The CSS class of a status, e.g. {@code st-timed-out}. */
  static String css(Status status) {
    return "st-" + status.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
