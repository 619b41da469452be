package dev.stepguard.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Outcome;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.ScriptPath;
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
 * Runs one script: validates the path and the input, records the run as RUNNING, launches,
 * interprets what came back into exactly one outcome and records it. A run refused before launch is
 * recorded too. Never throws for anything a request or a script does.
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

  public ExecutionRecord execute(ExecutionRequest request) {
    Objects.requireNonNull(request, "request");
    Records.Start start =
        new Records.Start(
            ExecutionId.random(), request, now(), launcher.isolation(), processes.self());
    ExecutionRecord record = run(start);
    RunLog.log(LOG, record);
    return record;
  }

  private ExecutionRecord run(Records.Start start) {
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
    if (parsed instanceof JsonObjectReader.Result.Invalid) {
      return refused(
          start, "the input " + ((JsonObjectReader.Result.Invalid) parsed).problem(), null);
    }
    JsonNode inputs = ((JsonObjectReader.Result.Parsed) parsed).object();
    ScriptPath script = new ScriptPath(request.script());
    ScriptResolution resolution = pathPolicy.resolve(script);
    if (resolution instanceof ScriptResolution.Refused) {
      return refused(start, ((ScriptResolution.Refused) resolution).reason(), inputs);
    }
    try {
      store.insert(redactor.redact(Records.running(start, inputs, input.length)));
    } catch (RuntimeException e) {
      LOG.error("could not record run {} before its launch", start.id(), e);
      return Records.closed(
          start,
          new Outcome.LaunchFailed(
              "the execution history could not record the run, so it was not started ("
                  + e.getMessage()
                  + "); check the history with 'stepguard doctor'"),
          inputs,
          input.length,
          null,
          null,
          now());
    }
    return launched(start, script, input, inputs);
  }

  private ExecutionRecord launched(
      Records.Start start, ScriptPath script, byte[] input, JsonNode inputs) {
    ExecutionRequest request = start.request();
    AtomicReference<ProcessIdentity> started = new AtomicReference<>();
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
              started.set(process);
              writeSafely("the process of", start.id(), () -> store.started(start.id(), process));
            });
    LaunchResult result = launchSafely(launch);
    ExecutionRecord record =
        Records.closed(
            start,
            interpreter.interpret(result, request.limits(), request.timeout().toMillis()),
            inputs,
            input.length,
            result,
            started.get(),
            now());
    writeSafely("the end of", start.id(), () -> store.finish(redactor.redact(record)));
    return record;
  }

  private ExecutionRecord refused(Records.Start start, String reason, JsonNode inputs) {
    ExecutionRecord record =
        Records.closed(start, new Outcome.Rejected(reason), inputs, 0, null, null, now());
    writeSafely("the refusal of", start.id(), () -> store.insert(redactor.redact(record)));
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
      LOG.error("could not record {} run {}", what, id, e);
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
