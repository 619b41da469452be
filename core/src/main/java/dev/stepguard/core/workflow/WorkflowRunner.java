package dev.stepguard.core.workflow;

import dev.stepguard.core.execution.JsonObjectReader;
import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepSettings;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.model.WorkflowStep;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ProcessTable;
import dev.stepguard.core.port.WorkflowRunStore;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a workflow's steps in order through the {@link ScriptExecutor}, each step's output feeding
 * later steps, and stops at the first step that does not succeed. Inputs and file paths that can be
 * checked before the first step are checked then: a bad one refuses the whole run before anything
 * starts. A value seen under a secret name in the workflow's inputs, a step's inputs or a step's
 * output is masked in every record of the run stored after that, whatever key carries it. Never
 * throws for anything a workflow, its inputs or a script does.
 */
public final class WorkflowRunner {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowRunner.class);

  private final PathPolicy paths;
  private final WorkflowRunStore store;
  private final ProcessTable processes;
  private final Redactor redactor;
  private final Clock clock;
  private final StepRunner steps;

  @Inject
  public WorkflowRunner(
      ScriptExecutor executor,
      PathPolicy paths,
      WorkflowRunStore store,
      ProcessTable processes,
      Redactor redactor,
      Clock clock) {
    Objects.requireNonNull(executor, "executor");
    this.paths = Objects.requireNonNull(paths, "paths");
    this.store = Objects.requireNonNull(store, "store");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.steps = new StepRunner(executor, paths, redactor);
  }

  /**
   * Runs {@code workflow} with the workflow inputs {@code inputJson}.
   *
   * @param hostEnvironment where the variables that steps name in {@code env} are taken from
   */
  public WorkflowRun run(
      Workflow workflow,
      String inputJson,
      StepSettings settings,
      Map<String, String> hostEnvironment,
      Requester requestedBy) {
    return run(workflow, inputJson, settings, hostEnvironment, requestedBy, new Cancellation());
  }

  /**
   * Runs {@code workflow} until its end or until {@code cancellation} asks it to stop: the step in
   * progress then ends CANCELLED (see {@link ScriptExecutor#execute(ExecutionRequest,
   * Cancellation)}), no further step starts, and the workflow run ends CANCELLED at that step.
   */
  public WorkflowRun run(
      Workflow workflow,
      String inputJson,
      StepSettings settings,
      Map<String, String> hostEnvironment,
      Requester requestedBy,
      Cancellation cancellation) {
    return run(
        UUID.randomUUID().toString(),
        workflow,
        inputJson,
        settings,
        hostEnvironment,
        requestedBy,
        cancellation);
  }

  /**
   * Runs {@code workflow} as {@link #run(Workflow, String, StepSettings, Map, Requester,
   * Cancellation)} does, under an id (a random UUID) the caller chose beforehand, so that a server
   * can answer with it before the run ends.
   */
  public WorkflowRun run(
      String id,
      Workflow workflow,
      String inputJson,
      StepSettings settings,
      Map<String, String> hostEnvironment,
      Requester requestedBy,
      Cancellation cancellation) {
    Objects.requireNonNull(cancellation, "cancellation");
    UUID.fromString(Objects.requireNonNull(id, "id"));
    RunState run = new RunState(id, workflow, now(), requestedBy);
    JsonObjectReader.Result parsed =
        JsonObjectReader.of(settings.baseLimits().jsonDepth(), settings.baseLimits().inputBytes())
            .read(inputJson.getBytes(StandardCharsets.UTF_8));
    if (parsed instanceof JsonObjectReader.Result.Invalid invalid) {
      return refused(run, null, "the workflow input " + invalid.problem());
    }
    run.inputs = ((JsonObjectReader.Result.Parsed) parsed).object();
    run.secrets.addAll(redactor.secretValues(run.inputs));
    Optional<String> problem = RunChecks.inputProblem(workflow, run.inputs);
    if (problem.isPresent()) {
      return refused(run, null, problem.get());
    }
    for (WorkflowStep step : workflow.steps()) {
      Optional<String> early = RunChecks.earlyPathProblem(paths, step, run::lookup);
      if (early.isPresent()) {
        return refused(run, step.id(), early.get());
      }
    }
    run.status = Status.RUNNING;
    if (!write(
        run, () -> store.insert(redactor.redactRun(run.snapshot(processes.self()), run.secrets)))) {
      return refused(
          run, null, "the execution history could not record the workflow run, so no step was run");
    }
    run.status = Status.SUCCEEDED;
    for (WorkflowStep step : workflow.steps()) {
      if (!steps.run(step, run, settings, hostEnvironment, cancellation)) {
        break;
      }
    }
    run.finishedAt = now();
    WorkflowRun finished = run.snapshot(processes.self());
    write(run, () -> store.finish(redactor.redactRun(finished, run.secrets)));
    LOG.info(
        "workflow run {} {} {}{}",
        run.id,
        workflow.file(),
        finished.status(),
        finished.failedStep() == null ? "" : " at step " + finished.failedStep());
    return finished;
  }

  /** A run refused before any step: recorded as a whole, nothing started. */
  private WorkflowRun refused(RunState run, String step, String reason) {
    WorkflowRun refused = run.refuse(step, reason, now());
    write(run, () -> store.insert(redactor.redactRun(refused, run.secrets)));
    return refused;
  }

  /** A history write; its failure is logged and reported as false, never thrown. */
  private boolean write(RunState run, Runnable write) {
    try {
      write.run();
      return true;
    } catch (RuntimeException e) {
      LOG.error("could not record workflow run {}: {}", run.id, e.getMessage());
      return false;
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
