package dev.stepguard.core.execution;

import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.Outcome;
import dev.stepguard.core.model.Signals;
import java.time.Duration;

/** Writes the {@code error} of a record: a code for programs and a sentence a person can act on. */
final class ErrorMessages {
  private ErrorMessages() {}

  /** Null for a success; otherwise names the script, the status, the exit code and what to do. */
  static ErrorInfo of(Outcome outcome, String script, Duration grace) {
    String head = script + " " + outcome.status() + ": ";
    if (outcome instanceof Outcome.Succeeded) {
      return null;
    }
    if (outcome instanceof Outcome.Failed failed) {
      int code = failed.exitCode();
      return new ErrorInfo(
          "EXIT_NONZERO",
          head
              + "the script exited with code "
              + code
              + ". Its stderr is kept in the record: fix what it reports and run it again.");
    }
    if (outcome instanceof Outcome.Crashed crashed) {
      int signal = crashed.signal();
      return new ErrorInfo(
          "SIGNAL",
          head
              + "the script was ended by "
              + Signals.name(signal)
              + " (signal "
              + signal
              + "), which stepguard did not send; no exit code. A native extension, the kernel"
              + " or the script itself killed it: check stderr and the host's kernel log.");
    }
    if (outcome instanceof Outcome.TimedOut timedOut) {
      String how =
          timedOut.endedBy() == Signals.SIGTERM
              ? "SIGTERM ended it"
              : "it ignored SIGTERM for the "
                  + Sizes.duration(grace)
                  + " grace period and SIGKILL ended it";
      return new ErrorInfo(
          "TIMED_OUT",
          head
              + "the script ran past its timeout of "
              + Sizes.duration(Duration.ofMillis(timedOut.timeoutMs()))
              + "; "
              + how
              + "; no exit code. Make it finish sooner or raise the timeout (--timeout, or"
              + " timeout: in the step or stepguard.yaml).");
    }
    if (outcome instanceof Outcome.LimitExceeded limit) {
      return new ErrorInfo(
          "LIMIT_" + limit.limit().name(),
          head
              + "the script hit its "
              + limit.limit().label()
              + " limit: "
              + limit.detail()
              + ". Make it use less, or raise limits (operator config or a trusted stepguard.yaml).");
    }
    if (outcome instanceof Outcome.InvalidOutput invalid) {
      return new ErrorInfo(
          "INVALID_OUTPUT",
          head
              + "exit code 0, but "
              + invalid.problem()
              + ". Print exactly one JSON object to stdout and send logs to stderr.");
    }
    if (outcome instanceof Outcome.Rejected rejected) {
      return new ErrorInfo(
          "REJECTED", head + rejected.reason() + ". Nothing was run; fix the request.");
    }
    if (outcome instanceof Outcome.LaunchFailed launchFailed) {
      return new ErrorInfo(
          "LAUNCH_FAILED", head + "the script could not be started: " + launchFailed.reason());
    }
    if (outcome instanceof Outcome.Cancelled cancelled) {
      return cancelled(cancelled, head, grace);
    }
    // The last permitted Outcome: a new one added to the sealed interface fails this cast.
    return new ErrorInfo(
        "ABANDONED",
        head
            + ((Outcome.Abandoned) outcome).reason()
            + ". stepguard stopped during the run; run the script again.");
  }

  private static ErrorInfo cancelled(Outcome.Cancelled cancelled, String head, Duration grace) {
    CancelRequest request = cancelled.request();
    String asked =
        switch (request.requester().channel()) {
          case HTTP ->
              "a cancel request over HTTP with the token '" + request.requester().name() + "'";
          case SERVER ->
              request.cause()
                  + " sent to the stepguard server (user "
                  + request.requester().name()
                  + "), which stopped the runs still going when it shut down";
          case CLI ->
              request.cause().startsWith("SIG")
                  ? request.cause() + " sent to stepguard (user " + request.requester().name() + ")"
                  : "the command line of user "
                      + request.requester().name()
                      + " ("
                      + request.cause()
                      + ")";
        };
    String how;
    if (cancelled.endedBy() == 0) {
      how = "it came before the script started, so nothing ran";
    } else if (cancelled.endedBy() == Signals.SIGTERM) {
      how = "SIGTERM ended the script; the stderr it wrote until then is kept";
    } else {
      how =
          "SIGKILL ended the script (a second request, or it ignored SIGTERM for the "
              + Sizes.duration(grace)
              + " grace period); the stderr it wrote until then is kept";
    }
    return new ErrorInfo(
        "CANCELLED",
        head
            + "the run was stopped on request by "
            + asked
            + "; "
            + how
            + ". Run it again for its result.");
  }
}
