package dev.stepguard.core.workflow;

import dev.stepguard.core.execution.JsonObjectReader;
import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.CancelRequest;
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
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
@Singleton
public final class WorkflowRunner {
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowRunner.class);

  /**
   * Who holds an accepted run of this process: its start (until its end is written) or its
   * withdrawal (until the withdrawn record is written, then {@code withdrawn} says what it wrote).
   */
  private sealed interface Claim {
    record Starting() implements Claim {}

    record Withdrawing(CompletableFuture<Optional<WorkflowRun>> withdrawn) implements Claim {}
  }

  /** The accepted runs being started or withdrawn: whichever claims a run first has it. */
  private final ConcurrentMap<String, Claim> claims = new ConcurrentHashMap<>();

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
    RunState run = new RunState(checkedId(id), workflow, now(), requestedBy, false);
    Optional<WorkflowRun> refused = check(run, inputJson, settings);
    if (refused.isPresent()) {
      return refused.get();
    }
    run.status = Status.RUNNING;
    if (!write(
        run, () -> store.insert(redactor.redactRun(run.snapshot(processes.self()), run.secrets)))) {
      return refuse(
          run, null, "the execution history could not record the workflow run, so no step was run");
    }
    return steps(run, settings, hostEnvironment, cancellation);
  }

  /**
   * Accepts a run of {@code workflow} for a later start (a server queues it for a slot): checks
   * what can be checked before the first step and records the run RUNNING with no step yet, owned
   * by this process, so that it is in the history (and closed ABANDONED if this process dies)
   * before anybody is told it was accepted. Start it with {@link #runAccepted}, or close it
   * unstarted with {@link #withdraw}.
   *
   * @return the RUNNING record, or the REJECTED record of a run refused at once
   * @throws IllegalStateException when the history cannot record the run (then nothing is queued)
   */
  public WorkflowRun accept(
      String id,
      Workflow workflow,
      String inputJson,
      StepSettings settings,
      Requester requestedBy) {
    RunState run = new RunState(checkedId(id), workflow, now(), requestedBy, false);
    Optional<WorkflowRun> refused = check(run, inputJson, settings);
    if (refused.isPresent()) {
      return refused.get();
    }
    run.status = Status.RUNNING;
    WorkflowRun accepted = run.snapshot(processes.self());
    if (!write(run, () -> store.insert(redactor.redactRun(accepted, run.secrets)))) {
      throw new IllegalStateException(
          "the execution history could not record the workflow run, so it was not started;"
              + " check the history with 'stepguard doctor'");
    }
    return accepted;
  }

  /**
   * Runs the workflow run that {@link #accept} recorded under {@code id}, as {@link #run(String,
   * Workflow, String, StepSettings, Map, Requester, Cancellation)} would, from now. A run withdrawn
   * or closed meanwhile is not started: its record is returned.
   */
  public WorkflowRun runAccepted(
      String id,
      Workflow workflow,
      String inputJson,
      StepSettings settings,
      Map<String, String> hostEnvironment,
      Requester requestedBy,
      Cancellation cancellation) {
    Objects.requireNonNull(cancellation, "cancellation");
    Claim.Starting mine = new Claim.Starting();
    for (Claim other; (other = claims.putIfAbsent(checkedId(id), mine)) != null; ) {
      if (!(other instanceof Claim.Withdrawing withdrawing)) {
        throw new IllegalStateException("workflow run " + id + " is started already");
      }
      Optional<WorkflowRun> withdrawn = withdrawing.withdrawn().join();
      if (withdrawn.isPresent()) {
        return withdrawn.get();
      }
    }
    try {
      Optional<WorkflowRun> closed = closedMeanwhile(id);
      if (closed.isPresent()) {
        return closed.get();
      }
      RunState run = new RunState(id, workflow, now(), requestedBy, true);
      Optional<WorkflowRun> refused = check(run, inputJson, settings);
      if (refused.isPresent()) {
        return refused.get();
      }
      return steps(run, settings, hostEnvironment, cancellation);
    } finally {
      claims.remove(id, mine);
    }
  }

  /**
   * Closes the accepted run {@code id}, whose first step has not started, CANCELLED by {@code
   * cancel}: no step will run. A start of the run that comes meanwhile waits for this and returns
   * the withdrawn record; a run whose start came first is not withdrawn (cancel it as it runs).
   *
   * @return the closed record, or empty when the run is not RUNNING (ended or unknown), or started
   */
  public Optional<WorkflowRun> withdraw(String id, CancelRequest cancel) {
    Objects.requireNonNull(cancel, "cancel");
    Claim.Withdrawing mine = new Claim.Withdrawing(new CompletableFuture<>());
    if (claims.putIfAbsent(id, mine) != null) {
      return Optional.empty();
    }
    Optional<WorkflowRun> withdrawn = Optional.empty();
    try {
      withdrawn = closeWithdrawn(id, cancel);
      return withdrawn;
    } finally {
      claims.remove(id, mine);
      mine.withdrawn().complete(withdrawn);
    }
  }

  private Optional<WorkflowRun> closeWithdrawn(String id, CancelRequest cancel) {
    Optional<WorkflowRun> running = store.find(id).filter(r -> r.status() == Status.RUNNING);
    if (running.isEmpty()) {
      return Optional.empty();
    }
    WorkflowRun cancelled = RunState.withdrawn(running.get(), cancel, now());
    if (!store.finish(cancelled)) {
      return Optional.empty();
    }
    LOG.info("workflow run {} {} CANCELLED before its first step", id, cancelled.workflow());
    return Optional.of(cancelled);
  }

  private Optional<WorkflowRun> closedMeanwhile(String id) {
    try {
      return store.find(id).filter(r -> r.status() != Status.RUNNING);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String checkedId(String id) {
    UUID.fromString(Objects.requireNonNull(id, "id"));
    return id;
  }

  /** The checks before the first step: the refused run, or empty when it may go on. */
  private Optional<WorkflowRun> check(RunState run, String inputJson, StepSettings settings) {
    JsonObjectReader.Result parsed =
        JsonObjectReader.of(settings.baseLimits().jsonDepth(), settings.baseLimits().inputBytes())
            .read(inputJson.getBytes(StandardCharsets.UTF_8));
    if (parsed instanceof JsonObjectReader.Result.Invalid invalid) {
      return Optional.of(refuse(run, null, "the workflow input " + invalid.problem()));
    }
    run.inputs = ((JsonObjectReader.Result.Parsed) parsed).object();
    run.secrets.addAll(redactor.secretValues(run.inputs));
    Optional<String> problem = RunChecks.inputProblem(run.workflow, run.inputs);
    if (problem.isPresent()) {
      return Optional.of(refuse(run, null, problem.get()));
    }
    for (WorkflowStep step : run.workflow.steps()) {
      Optional<String> early = RunChecks.earlyPathProblem(paths, step, run::lookup);
      if (early.isPresent()) {
        return Optional.of(refuse(run, step.id(), early.get()));
      }
    }
    return Optional.empty();
  }

  /** Runs the steps of a recorded RUNNING run in order and closes it. */
  private WorkflowRun steps(
      RunState run,
      StepSettings settings,
      Map<String, String> hostEnvironment,
      Cancellation cancellation) {
    run.status = Status.SUCCEEDED;
    for (WorkflowStep step : run.workflow.steps()) {
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
        run.workflow.file(),
        finished.status(),
        finished.failedStep() == null ? "" : " at step " + finished.failedStep());
    return finished;
  }

  /**
   * A run refused before any step: recorded as a whole (or its accepted record closed), nothing
   * started.
   */
  private WorkflowRun refuse(RunState run, String step, String reason) {
    WorkflowRun refused = run.refuse(step, reason, now());
    WorkflowRun stored = redactor.redactRun(refused, run.secrets);
    write(
        run,
        () -> {
          if (run.accepted) {
            store.finish(stored);
          } else {
            store.insert(stored);
          }
        });
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
