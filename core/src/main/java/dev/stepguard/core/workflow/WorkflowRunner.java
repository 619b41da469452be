package dev.stepguard.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepguard.core.execution.JsonObjectReader;
import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.LimitOverrides;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepRun;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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

  private final ScriptExecutor executor;
  private final PathPolicy paths;
  private final WorkflowRunStore store;
  private final ProcessTable processes;
  private final Redactor redactor;
  private final Clock clock;

  @Inject
  public WorkflowRunner(
      ScriptExecutor executor,
      PathPolicy paths,
      WorkflowRunStore store,
      ProcessTable processes,
      Redactor redactor,
      Clock clock) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.paths = Objects.requireNonNull(paths, "paths");
    this.store = Objects.requireNonNull(store, "store");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
    this.clock = Objects.requireNonNull(clock, "clock");
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
    Objects.requireNonNull(cancellation, "cancellation");
    Run run = new Run(UUID.randomUUID().toString(), workflow, now(), requestedBy);
    JsonObjectReader.Result parsed =
        JsonObjectReader.of(settings.baseLimits().jsonDepth(), settings.baseLimits().inputBytes())
            .read(inputJson.getBytes(StandardCharsets.UTF_8));
    if (parsed instanceof JsonObjectReader.Result.Invalid) {
      return run.refused(
          null, "the workflow input " + ((JsonObjectReader.Result.Invalid) parsed).problem());
    }
    run.inputs = ((JsonObjectReader.Result.Parsed) parsed).object();
    run.secrets.addAll(redactor.secretValues(run.inputs));
    Optional<String> problem = inputProblem(workflow, run.inputs);
    if (problem.isPresent()) {
      return run.refused(null, problem.get());
    }
    for (WorkflowStep step : workflow.steps()) {
      Optional<String> early = earlyPathProblem(step, run);
      if (early.isPresent()) {
        return run.refused(step.id(), early.get());
      }
    }
    run.status = Status.RUNNING;
    if (!run.write(
        () -> store.insert(redactor.redactRun(run.snapshot(processes.self()), run.secrets)))) {
      return run.refused(
          null, "the execution history could not record the workflow run, so no step was run");
    }
    run.status = Status.SUCCEEDED;
    for (WorkflowStep step : workflow.steps()) {
      if (!runStep(step, run, settings, hostEnvironment, cancellation)) {
        break;
      }
    }
    run.finishedAt = now();
    WorkflowRun finished = run.snapshot(processes.self());
    run.write(() -> store.finish(redactor.redactRun(finished, run.secrets)));
    LOG.info(
        "workflow run {} {} {}{}",
        run.id,
        workflow.file(),
        finished.status(),
        finished.failedStep() == null ? "" : " at step " + finished.failedStep());
    return finished;
  }

  /** Runs one step; false when the run stops here. */
  private boolean runStep(
      WorkflowStep step,
      Run run,
      StepSettings settings,
      Map<String, String> hostEnvironment,
      Cancellation cancellation) {
    JsonNode inputs;
    try {
      inputs = References.resolve(step.inputs(), reference -> run.lookup(reference));
      run.secrets.addAll(redactor.secretValues(inputs));
      for (String path : step.paths()) {
        JsonNode value = inputs.get(path);
        Optional<String> problem =
            value.isTextual()
                ? paths.inputPathProblem(value.asText())
                : Optional.of("the path input '" + path + "' is not a string: " + value);
        if (problem.isPresent()) {
          throw new IllegalArgumentException(problem.get());
        }
      }
    } catch (IllegalArgumentException e) {
      run.stop(step.id(), new StepRun(step.id(), null, Status.REJECTED), rejected(step, e));
      return false;
    }
    Duration timeout =
        step.timeout().or(() -> run.workflow.defaultTimeout()).orElse(settings.timeout());
    Limits limits = settings.limitsFor(timeout);
    limits = LimitOverrides.apply(limits, run.workflow.defaultLimits());
    limits = LimitOverrides.apply(limits, step.limits());
    Map<String, String> env = new HashMap<>();
    for (String name : run.workflow.defaultEnv()) {
      Optional.ofNullable(hostEnvironment.get(name)).ifPresent(value -> env.put(name, value));
    }
    for (String name : step.env()) {
      Optional.ofNullable(hostEnvironment.get(name)).ifPresent(value -> env.put(name, value));
    }
    ExecutionRecord record =
        executor.execute(
            new ExecutionRequest(
                step.script(),
                inputs.toString(),
                timeout,
                settings.grace(),
                limits,
                env,
                run.id,
                step.id(),
                run.requestedBy,
                run.secrets),
            cancellation);
    StepRun stepRun = new StepRun(step.id(), record.id(), record.status());
    if (record.status() != Status.SUCCEEDED) {
      run.stop(step.id(), stepRun, record.error());
      return false;
    }
    run.steps.add(stepRun);
    run.outputs.put(step.id(), record.output());
    run.secrets.addAll(redactor.secretValues(record.output()));
    return true;
  }

  private static ErrorInfo rejected(WorkflowStep step, IllegalArgumentException e) {
    return new ErrorInfo(
        Status.REJECTED.name(),
        "step "
            + step.id()
            + " REJECTED: "
            + e.getMessage()
            + ". Nothing of this step was run; fix the workflow or its inputs.");
  }

  /** A declared input missing, or an input the workflow does not declare. */
  private static Optional<String> inputProblem(Workflow workflow, JsonNode inputs) {
    for (String name : workflow.inputs()) {
      if (!inputs.has(name)) {
        return Optional.of("the workflow needs the input '" + name + "'");
      }
    }
    for (String name : (Iterable<String>) inputs::fieldNames) {
      if (!workflow.inputs().contains(name)) {
        return Optional.of(
            "the workflow does not declare the input '"
                + name
                + "'; it declares "
                + workflow.inputs());
      }
    }
    return Optional.empty();
  }

  /** A path input that needs no step's output, checked before any step runs. */
  private Optional<String> earlyPathProblem(WorkflowStep step, Run run) {
    for (String path : step.paths()) {
      JsonNode template = step.inputs().get(path);
      boolean needsAStep =
          References.all(template).stream()
              .map(References::parse)
              .flatMap(Optional::stream)
              .anyMatch(reference -> reference instanceof References.Reference.StepOutput);
      if (needsAStep) {
        continue;
      }
      try {
        JsonNode value = References.resolve(template, reference -> run.lookup(reference));
        Optional<String> problem =
            value.isTextual()
                ? paths.inputPathProblem(value.asText())
                : Optional.of("the path input '" + path + "' is not a string: " + value);
        if (problem.isPresent()) {
          return Optional.of(
              "the path input '" + path + "' of step " + step.id() + ": " + problem.get());
        }
      } catch (IllegalArgumentException e) {
        return Optional.of(e.getMessage());
      }
    }
    return Optional.empty();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** One run in progress. */
  private final class Run {
    final String id;
    final Workflow workflow;
    final Instant startedAt;
    final Requester requestedBy;
    final List<StepRun> steps = new ArrayList<>();
    final Map<String, JsonNode> outputs = new LinkedHashMap<>();

    /** Values seen under secret names so far: masked in every record of this run, never stored. */
    final Set<String> secrets = new LinkedHashSet<>();

    JsonNode inputs = JsonNodeFactory.instance.objectNode();
    String failedStep;
    ErrorInfo error;
    Status status = Status.RUNNING;
    Instant finishedAt;

    Run(String id, Workflow workflow, Instant startedAt, Requester requestedBy) {
      this.id = id;
      this.workflow = workflow;
      this.startedAt = startedAt;
      this.requestedBy = requestedBy;
    }

    JsonNode lookup(References.Reference reference) {
      if (reference instanceof References.Reference.Input) {
        return inputs.path(((References.Reference.Input) reference).name());
      }
      References.Reference.StepOutput output = (References.Reference.StepOutput) reference;
      JsonNode value = outputs.get(output.step());
      if (value == null) {
        return null;
      }
      for (String field : output.fields()) {
        value = value.path(field);
      }
      return value;
    }

    void stop(String step, StepRun stepRun, ErrorInfo why) {
      steps.add(stepRun);
      failedStep = step;
      error = why;
      status = stepRun.status();
    }

    /** The run as it stands; the output is the last step's once the run has succeeded. */
    WorkflowRun snapshot(ProcessIdentity supervisor) {
      JsonNode output =
          status == Status.SUCCEEDED && !steps.isEmpty()
              ? outputs.get(steps.get(steps.size() - 1).id())
              : null;
      return new WorkflowRun(
          id,
          workflow.file(),
          workflow.sha256(),
          workflow.name(),
          inputs,
          status,
          failedStep,
          steps,
          output,
          error,
          startedAt,
          finishedAt,
          requestedBy,
          supervisor);
    }

    /** A run refused before any step: recorded as a whole, nothing started. */
    WorkflowRun refused(String step, String reason) {
      failedStep = step;
      status = Status.REJECTED;
      finishedAt = now();
      error =
          new ErrorInfo(
              Status.REJECTED.name(),
              "workflow "
                  + workflow.file()
                  + " REJECTED: "
                  + reason
                  + ". No step was run; fix the inputs or the workflow.");
      WorkflowRun refused = snapshot(null);
      write(() -> store.insert(redactor.redactRun(refused, secrets)));
      return refused;
    }

    /** A history write; its failure is logged and reported as false, never thrown. */
    boolean write(Runnable write) {
      try {
        write.run();
        return true;
      } catch (RuntimeException e) {
        LOG.error("could not record workflow run {}: {}", id, e.getMessage());
        return false;
      }
    }
  }
}
