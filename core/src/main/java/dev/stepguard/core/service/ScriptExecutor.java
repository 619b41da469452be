package dev.stepguard.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Outcome;
import dev.stepguard.core.model.ResourceUsage;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ProcessLauncher;
import dev.stepguard.core.port.ScriptResolution;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one script: validates the path and the input, launches, and interprets what came back into
 * exactly one outcome. Never throws for anything a request or a script does.
 */
public final class ScriptExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(ScriptExecutor.class);

  private final PathPolicy pathPolicy;
  private final ProcessLauncher launcher;
  private final Clock clock;
  private final OutcomeInterpreter interpreter = new OutcomeInterpreter();

  @Inject
  public ScriptExecutor(PathPolicy pathPolicy, ProcessLauncher launcher, Clock clock) {
    this.pathPolicy = Objects.requireNonNull(pathPolicy, "pathPolicy");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public ExecutionRecord execute(ExecutionRequest request) {
    Objects.requireNonNull(request, "request");
    RunDraft draft = new RunDraft(ExecutionId.random(), request, clock.instant());
    ExecutionRecord record = finish(draft, attempt(draft));
    RunLog.log(LOG, record);
    return record;
  }

  private Attempt attempt(RunDraft draft) {
    ExecutionRequest request = draft.request();
    Optional<String> pathProblem = ScriptPath.problemWith(request.script());
    if (pathProblem.isPresent()) {
      return Attempt.refused("the script path is not acceptable: " + pathProblem.get(), null);
    }
    byte[] input = request.inputJson().getBytes(StandardCharsets.UTF_8);
    if (input.length > request.limits().inputBytes()) {
      return Attempt.refused(
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
      return Attempt.refused(
          "the input " + ((JsonObjectReader.Result.Invalid) parsed).problem(), null);
    }
    JsonNode inputs = ((JsonObjectReader.Result.Parsed) parsed).object();
    ScriptPath script = new ScriptPath(request.script());
    ScriptResolution resolution = pathPolicy.resolve(script);
    if (resolution instanceof ScriptResolution.Refused) {
      return Attempt.refused(((ScriptResolution.Refused) resolution).reason(), inputs);
    }
    Launch launch =
        new Launch(
            draft.id(),
            pathPolicy.projectRoot(),
            script,
            input,
            request.timeout(),
            request.grace(),
            request.limits(),
            request.env());
    LaunchResult result = launchSafely(launch);
    return new Attempt(
        interpreter.interpret(result, request.limits(), request.timeout().toMillis()),
        inputs,
        input.length,
        result);
  }

  private LaunchResult launchSafely(Launch launch) {
    try {
      return launcher.launch(launch);
    } catch (RuntimeException e) {
      LOG.error("launcher failed unexpectedly for {}", launch.script(), e);
      return new LaunchResult.NotStarted("the launcher failed unexpectedly: " + e, null);
    }
  }

  private ExecutionRecord finish(RunDraft draft, Attempt attempt) {
    Instant finishedAt = clock.instant();
    ExecutionRequest request = draft.request();
    Outcome outcome = attempt.outcome();
    LaunchResult result = attempt.result();
    LaunchResult.Completed completed =
        result instanceof LaunchResult.Completed ? (LaunchResult.Completed) result : null;
    Interpreter interpreterUsed =
        completed != null
            ? completed.interpreter()
            : result instanceof LaunchResult.NotStarted
                ? ((LaunchResult.NotStarted) result).interpreter()
                : null;
    JsonNode output =
        outcome instanceof Outcome.Succeeded ? ((Outcome.Succeeded) outcome).output() : null;
    return new ExecutionRecord(
        draft.id(),
        outcome.status(),
        request.script(),
        attempt.inputs(),
        output,
        Endings.exitCode(completed),
        Endings.signal(completed),
        Endings.endedBy(completed),
        completed == null ? "" : completed.stderr(),
        completed != null && completed.stderrTruncated(),
        ErrorMessages.of(outcome, request.script(), request.grace()),
        draft.startedAt(),
        finishedAt,
        finishedAt.toEpochMilli() - draft.startedAt().toEpochMilli(),
        request.timeout().toMillis(),
        request.limits(),
        launcher.isolation(),
        interpreterUsed,
        completed == null ? null : completed.scriptSha256(),
        attempt.inputBytes(),
        completed == null ? 0 : completed.stdout().length,
        completed == null ? ResourceUsage.UNKNOWN : completed.usage(),
        request.workflowRunId(),
        request.stepId());
  }

  private record RunDraft(ExecutionId id, ExecutionRequest request, Instant startedAt) {}

  private record Attempt(Outcome outcome, JsonNode inputs, long inputBytes, LaunchResult result) {
    static Attempt refused(String reason, JsonNode inputs) {
      return new Attempt(new Outcome.Rejected(reason), inputs, 0, null);
    }
  }
}
