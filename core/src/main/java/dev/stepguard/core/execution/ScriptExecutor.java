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
    return execute(id, request, cancellation, false);
  }

  /**
   * Accepts {@code request} for a later start (a server queues it for a slot): checks what can be
   * checked now and records the run RUNNING and queued ({@link ExecutionRecord#queued()}), owned by
   * this process, so that it is in the history (and closed ABANDONED if this process dies) before
   * anybody is told it was accepted. Start it with {@link #executeAccepted}, or close it unstarted
   * with {@link #withdraw}.
   *
   * @return the queued record, or the REJECTED record of a request refused at once
   * @throws IllegalStateException when the history cannot record the run (then nothing is queued)
   */
  public ExecutionRecord accept(ExecutionId id, ExecutionRequest request) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Records.Start start =
        new Records.Start(id, request, now(), launcher.isolation(), processes.self(), false);
    Checked checked = check(start);
    if (checked.refusal() != null) {
      return log(checked.refusal(), request);
    }
    ExecutionRecord queued = Records.queued(start, checked.inputs(), checked.input().length);
    writeAhead(queued, () -> store.insert(redactor.redact(queued, request.secrets())));
    return queued;
  }

  /**
   * Starts the run that {@link #accept} queued under {@code id}, as {@link #execute(ExecutionId,
   * ExecutionRequest, Cancellation)} would; its timeout counts from now. A run withdrawn meanwhile
   * is not started.
   */
  public ExecutionRecord executeAccepted(
      ExecutionId id, ExecutionRequest request, Cancellation cancellation) {
    return execute(id, request, cancellation, true);
  }

  /**
   * Closes the queued run {@code id} CANCELLED by {@code cancel} without starting it.
   *
   * @return the closed record, or empty when the run is not queued (started, ended or unknown)
   */
  public Optional<ExecutionRecord> withdraw(ExecutionId id, CancelRequest cancel) {
    Objects.requireNonNull(cancel, "cancel");
    Optional<ExecutionRecord> queued = store.find(id).filter(ExecutionRecord::queued);
    if (queued.isEmpty()) {
      return Optional.empty();
    }
    ExecutionRecord cancelled = Records.withdrawn(queued.get(), cancel, now());
    if (!store.finish(cancelled)) {
      return Optional.empty();
    }
    RunLog.log(LOG, cancelled);
    return Optional.of(cancelled);
  }

  private ExecutionRecord execute(
      ExecutionId id, ExecutionRequest request, Cancellation cancellation, boolean accepted) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(cancellation, "cancellation");
    if (accepted) {
      Optional<ExecutionRecord> withdrawn = closedMeanwhile(id);
      if (withdrawn.isPresent()) {
        return withdrawn.get();
      }
    }
    Records.Start start =
        new Records.Start(id, request, now(), launcher.isolation(), processes.self(), accepted);
    return log(run(start, cancellation), request);
  }

  /**
   * The record of an accepted run that was closed before its turn came (withdrawn, or abandoned),
   * or empty while it is queued. A history that cannot be read lets the run go on to its
   * write-ahead, which then refuses to start it. The record is read only when the run is not queued
   * any more: reading it whole cost as much as one of the run's writes.
   */
  private Optional<ExecutionRecord> closedMeanwhile(ExecutionId id) {
    try {
      if (store.queued(id)) {
        return Optional.empty();
      }
      return store.find(id).filter(record -> !record.queued());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private ExecutionRecord log(ExecutionRecord record, ExecutionRequest request) {
    RunLog.log(
        LOG,
        record.status() == Status.SUCCEEDED ? record : redactor.redact(record, request.secrets()));
    return record;
  }

  /** What checking a request before its launch found: a refusal, or what to launch. */
  private record Checked(ExecutionRecord refusal, JsonNode inputs, byte[] input) {}

  private Checked check(Records.Start start) {
    ExecutionRequest request = start.request();
    Optional<String> pathProblem = ScriptPath.problemWith(request.script());
    if (pathProblem.isPresent()) {
      return refusal(start, "the script path is not acceptable: " + pathProblem.get(), null);
    }
    byte[] input = request.inputJson().getBytes(StandardCharsets.UTF_8);
    if (input.length > request.limits().inputBytes()) {
      return refusal(
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
      return refusal(start, "the input " + invalid.problem(), null);
    }
    JsonNode inputs = ((JsonObjectReader.Result.Parsed) parsed).object();
    ScriptResolution resolution = pathPolicy.resolve(new ScriptPath(request.script()));
    if (resolution instanceof ScriptResolution.Refused refusedPath) {
      return refusal(start, refusedPath.reason(), inputs);
    }
    return new Checked(null, inputs, input);
  }

  private Checked refusal(Records.Start start, String reason, JsonNode inputs) {
    return new Checked(closedUnrun(start, new Outcome.Rejected(reason), inputs), inputs, null);
  }

  private ExecutionRecord run(Records.Start start, Cancellation cancellation) {
    Checked checked = check(start);
    if (checked.refusal() != null) {
      return checked.refusal();
    }
    Optional<CancelRequest> cancelled = cancellation.requested();
    if (cancelled.isPresent()) {
      return closedUnrun(start, new Outcome.Cancelled(cancelled.get(), 0), checked.inputs());
    }
    return launched(
        start,
        new ScriptPath(start.request().script()),
        checked.input(),
        checked.inputs(),
        cancellation);
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
              ExecutionRecord running =
                  redactor.redact(
                      Records.running(start, inputs, input.length, process), request.secrets());
              writeAhead(running, () -> started(start, running));
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
      return record;
    }
    return endedUnlaunched("the failed launch of", start, record, stored);
  }

  /** The write-ahead of a launch: a new RUNNING run, or a queued one now started. */
  private void started(Records.Start start, ExecutionRecord running) {
    if (!start.accepted()) {
      store.insert(running);
    } else if (!store.start(running)) {
      throw new IllegalStateException("the run was cancelled or closed before it started");
    }
  }

  /**
   * Records a run that ended before its launch (a new record, or the close of a queued one) and
   * gives the record that stands: {@code ours}, or, for a queued run that was closed meanwhile (a
   * cancel that withdrew it just as its turn came), that record, never a second ending.
   */
  private ExecutionRecord endedUnlaunched(
      String what, Records.Start start, ExecutionRecord ours, ExecutionRecord stored) {
    try {
      if (!start.accepted()) {
        store.insert(stored);
      } else if (!store.finish(stored)) {
        return closedMeanwhile(start.id()).orElse(ours);
      }
    } catch (RuntimeException e) {
      LOG.error("could not record {} run {}: {}", what, start.id(), e.getMessage());
    }
    return ours;
  }

  /** Records the run as RUNNING; if that fails the script must not run, so this throws. */
  private static void writeAhead(ExecutionRecord running, Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      LOG.error("could not record run {} before its script ran: {}", running.id(), e.getMessage());
      throw new IllegalStateException(
          "the execution history could not record the run, so the script was not run ("
              + e.getMessage()
              + "); check the history with 'stepguard doctor'",
          e);
    }
  }

  /** Records a run that ended as {@code outcome} before anything was launched. */
  private ExecutionRecord closedUnrun(Records.Start start, Outcome outcome, JsonNode inputs) {
    ExecutionRecord record = Records.closed(start, outcome, inputs, 0, null, null, now());
    return endedUnlaunched(
        "the end before launch of",
        start,
        record,
        redactor.redact(record, start.request().secrets()));
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
