package dev.stepguard.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepRun;
import dev.stepguard.core.model.StepSettings;
import dev.stepguard.core.model.WorkflowStep;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.PathPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Runs one step of a run: resolves its inputs, checks its paths, executes its script. */
final class StepRunner {
  private final ScriptExecutor executor;
  private final PathPolicy paths;
  private final Redactor redactor;

  StepRunner(ScriptExecutor executor, PathPolicy paths, Redactor redactor) {
    this.executor = executor;
    this.paths = paths;
    this.redactor = redactor;
  }

  /** Runs {@code step}; false when the run stops here. */
  boolean run(
      WorkflowStep step,
      RunState run,
      StepSettings settings,
      Map<String, String> hostEnvironment,
      Cancellation cancellation) {
    JsonNode inputs;
    try {
      inputs = References.resolve(step.inputs(), run::lookup);
      run.secrets.addAll(redactor.secretValues(inputs));
      for (String path : step.paths()) {
        Optional<String> problem = RunChecks.pathProblem(paths, path, inputs.get(path));
        if (problem.isPresent()) {
          throw new IllegalArgumentException(problem.get());
        }
      }
    } catch (IllegalArgumentException e) {
      run.stop(step.id(), new StepRun(step.id(), null, Status.REJECTED), rejected(step, e));
      return false;
    }
    Duration timeout = StepPrecedence.timeout(run.workflow, step, settings);
    ExecutionRecord record =
        executor.execute(
            new ExecutionRequest(
                step.script(),
                inputs.toString(),
                timeout,
                settings.grace(),
                StepPrecedence.limits(run.workflow, step, settings, timeout),
                StepPrecedence.environment(run.workflow, step, hostEnvironment),
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
}
