package dev.stepguard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/** How a run ended: exactly one of these per run, one type per terminal status. */
public sealed interface Outcome
    permits Outcome.Succeeded,
        Outcome.Failed,
        Outcome.Crashed,
        Outcome.TimedOut,
        Outcome.LimitExceeded,
        Outcome.InvalidOutput,
        Outcome.Rejected,
        Outcome.LaunchFailed,
        Outcome.Cancelled,
        Outcome.Abandoned {

  Status status();

  /** Exit 0 and one JSON object on stdout. */
  record Succeeded(JsonNode output) implements Outcome {
    public Succeeded {
      Objects.requireNonNull(output, "output");
      if (!output.isObject()) {
        throw new IllegalArgumentException("output must be a JSON object");
      }
    }

    @Override
    public Status status() {
      return Status.SUCCEEDED;
    }
  }

  /** The script exited with a non-zero code. */
  record Failed(int exitCode) implements Outcome {
    public Failed {
      if (exitCode == 0) {
        throw new IllegalArgumentException("a failed run has a non-zero exit code");
      }
    }

    @Override
    public Status status() {
      return Status.FAILED;
    }
  }

  /** The script was ended by a signal that stepguard did not send. */
  record Crashed(int signal) implements Outcome {
    @Override
    public Status status() {
      return Status.CRASHED;
    }
  }

  /** The wall-clock timeout passed; {@code endedBy} is the signal that ended the run. */
  record TimedOut(long timeoutMs, int endedBy) implements Outcome {
    public TimedOut {
      if (endedBy != Signals.SIGTERM && endedBy != Signals.SIGKILL) {
        throw new IllegalArgumentException("a timed-out run ends by SIGTERM or SIGKILL");
      }
    }

    @Override
    public Status status() {
      return Status.TIMED_OUT;
    }
  }

  /** A resource limit was hit; {@code detail} says how far it went. */
  record LimitExceeded(LimitKind limit, String detail) implements Outcome {
    public LimitExceeded {
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(detail, "detail");
    }

    @Override
    public Status status() {
      return Status.LIMIT_EXCEEDED;
    }
  }

  /** Exit 0, but stdout was not exactly one JSON object; {@code problem} says where. */
  record InvalidOutput(String problem) implements Outcome {
    public InvalidOutput {
      Objects.requireNonNull(problem, "problem");
    }

    @Override
    public Status status() {
      return Status.INVALID_OUTPUT;
    }
  }

  /** Refused before the script ran. */
  record Rejected(String reason) implements Outcome {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Status status() {
      return Status.REJECTED;
    }
  }

  /** The process could not be started; {@code reason} says what to install or fix. */
  record LaunchFailed(String reason) implements Outcome {
    public LaunchFailed {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Status status() {
      return Status.LAUNCH_FAILED;
    }
  }

  /**
   * Stopped on request; {@code endedBy} is the signal stepguard ended the script with, or 0 when
   * the request came before the script started and nothing ran.
   */
  record Cancelled(CancelRequest request, int endedBy) implements Outcome {
    public Cancelled {
      Objects.requireNonNull(request, "request");
      if (endedBy != 0 && endedBy != Signals.SIGTERM && endedBy != Signals.SIGKILL) {
        throw new IllegalArgumentException(
            "a cancelled run ends by SIGTERM, SIGKILL or not at all");
      }
    }

    @Override
    public Status status() {
      return Status.CANCELLED;
    }
  }

  /** stepguard stopped while the run was in progress. */
  record Abandoned(String reason) implements Outcome {
    public Abandoned {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Status status() {
      return Status.ABANDONED;
    }
  }
}
