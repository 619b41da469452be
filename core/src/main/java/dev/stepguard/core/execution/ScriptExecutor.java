package dev.stepguard.core.execution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Outcome;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.ExecutionStore;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ProcessLauncher;
import dev.stepguard.core.port.ProcessTable;
import dev.stepguard.core.port.ScriptResolution;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one script: validates the path and the input, launches, records the run as RUNNING once its
 * process exists but before the script gets its input, interprets what came back into exactly one
 * outcome and records it. Runs refused or failed before a script could start are recorded too.
 * Every stored copy and log line is redacted (secret names and values); the returned record is not,
 * as the caller shows the script's real output. Never throws for anything a request or a script
 * does.
 */
public final class ScriptExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(ScriptExecutor.class);

  private final PathPolicy pathPolicy;
  private final ProcessLauncher launcher;
  private final ExecutionStore store;
  private final ProcessTable processes;
  private final Redactor redactor;
  private final Clock clock;
  private final OutcomeInterpreter interpreter = new OutcomeInterpreter();

  @Inject
  public ScriptExecutor(
      PathPolicy pathPolicy,
      ProcessLauncher launcher,
      ExecutionStore store,
      ProcessTable processes,
      Redactor redactor,
      Clock clock) {
    this.pathPolicy = Objects.requireNonNull(pathPolicy, "pathPolicy");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.store = Objects.requireNonNull(store, "store");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Runs {@code request} to its end; nobody can cancel it. */
  public ExecutionRecord execute(ExecutionRequest request) {
    return execute(request, new Cancellation());
  }

  /**
   * Runs {@code request} to its end, or until {@code cancellation} asks it to stop: then the script
   * gets SIGTERM and its grace period (SIGKILL at once if asked again) and the run ends CANCELLED.
   * A request that came before the script started ends the run CANCELLED with nothing run.
   */
  public ExecutionRecord execute(ExecutionRequest request, Cancellation cancellation) {
    return execute(ExecutionId.random(), request, cancellation);
  }

  /**
   * Runs {@code request} as {@link #execute(ExecutionRequest, Cancellation)} does, under an id the
   * caller chose beforehand (a server answers with it before the run ends).
   */
  public ExecutionRecord execute(
      ExecutionId id, ExecutionRequest request, Cancellation cancellation) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(cancellation, "cancellation");
    Records.Start start =
        new Records.Start(id, request, now(), launcher.isolation(), processes.self());
    ExecutionRecord record = run(start, cancellation);
    RunLog.log(
        LOG,
        record.status() == Status.SUCCEEDED ? record : redactor.redact(record, request.secrets()));
    return record;
  }

  private ExecutionRecord run(Records.Start start, Cancellation cancellation) {
    ExecutionRequest request = start.request();
    Optional<String> pathProblem = ScriptPath.problemWith(request.script());
    if (pathProblem.isPresent()) {
      return refused(start, "the script path is not acceptable: " + pathProblem.get(), null);
    }
    byte[] input = request.inputJson().getBytes(StandardCharsets.UTF_8);
    if (input.length > request.limits().inputBytes()) {
      return refused(
          start,
          "the input is "
              + Sizes.bytes(input.length)
              + ", more than the limit of "
              + Sizes.bytes(request.limits().inputBytes()),
          null);
    }
    JsonObjectReader.Result parsed =
        JsonObjectReader.of(request.limits().jsonDepth(), request.limits().inputBytes())
            .read(input);
    if (parsed instanceof JsonObjectReader.Result.Invalid invalid) {
      return refused(start, "the input " + invalid.problem(), null);
    }
    JsonNode inputs = ((JsonObjectReader.Result.Parsed) parsed).object();
    ScriptPath script = new ScriptPath(request.script());
    ScriptResolution resolution = pathPolicy.resolve(script);
    if (resolution instanceof ScriptResolution.Refused refusedPath) {
      return refused(start, refusedPath.reason(), inputs);
    }
    Optional<CancelRequest> cancelled = cancellation.requested();
    if (cancelled.isPresent()) {
      return closedUnrun(start, new Outcome.Cancelled(cancelled.get(), 0), inputs);
    }
    return launched(start, script, input, inputs, cancellation);
  }

  private ExecutionRecord launched(
      Records.Start start,
      ScriptPath script,
      byte[] input,
      JsonNode inputs,
      Cancellation cancellation) {
    ExecutionRequest request = start.request();
    AtomicReference<ProcessIdentity> recorded = new AtomicReference<>();
    Launch launch =
        new Launch(
            start.id(),
            pathPolicy.projectRoot(),
            script,
            input,
            request.timeout(),
            request.grace(),
            request.limits(),
            request.env(),
            process -> {
              writeAhead(Records.running(start, inputs, input.length, process), request);
              recorded.set(process);
            },
            cancellation);
    LaunchResult result = launchSafely(launch);
    ExecutionRecord record =
        Records.closed(
            start,
            interpreter.interpret(
                result, request.limits(), request.timeout().toMillis(), cancellation),
            inputs,
            input.length,
            result,
            recorded.get(),
            now());
    ExecutionRecord stored = redactor.redact(record, request.secrets());
    if (recorded.get() != null) {
      writeSafely("the end of", start.id(), () -> store.finish(stored));
    } else {
      writeSafely("the failed launch of", start.id(), () -> store.insert(stored));
    }
    return record;
  }

  /** Records the run as RUNNING; if that fails the script must not run, so this throws. */
  private void writeAhead(ExecutionRecord running, ExecutionRequest request) {
    try {
      store.insert(redactor.redact(running, request.secrets()));
    } catch (RuntimeException e) {
      LOG.error("could not record run {} before its script ran: {}", running.id(), e.getMessage());
      throw new IllegalStateException(
          "the execution history could not record the run, so the script was not run ("
              + e.getMessage()
              + "); check the history with 'stepguard doctor'",
          e);
    }
  }

  private ExecutionRecord refused(Records.Start start, String reason, JsonNode inputs) {
    return closedUnrun(start, new Outcome.Rejected(reason), inputs);
  }

  /** Records a run that ended as {@code outcome} before anything was launched. */
  private ExecutionRecord closedUnrun(Records.Start start, Outcome outcome, JsonNode inputs) {
    ExecutionRecord record = Records.closed(start, outcome, inputs, 0, null, null, now());
    writeSafely(
        "the end before launch of",
        start.id(),
        () -> store.insert(redactor.redact(record, start.request().secrets())));
    return record;
  }

  private LaunchResult launchSafely(Launch launch) {
    try {
      return launcher.launch(launch);
    } catch (RuntimeException e) {
      LOG.error("launcher failed unexpectedly for {}", launch.script(), e);
      return new LaunchResult.NotStarted("the launcher failed unexpectedly: " + e, null);
    }
  }

  /** A history write after the fact: its failure is logged, the run's result still returned. */
  private static void writeSafely(String what, ExecutionId id, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      LOG.error("could not record {} run {}: {}", what, id, e.getMessage());
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
