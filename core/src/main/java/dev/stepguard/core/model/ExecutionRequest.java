package dev.stepguard.core.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A request to run one script, as a caller gave it: the script path and input are still raw text,
 * checked by the executor so that a bad request becomes a recorded REJECTED run, not an exception.
 *
 * @param env extra environment variables the step declared, with their values
 * @param workflowRunId the workflow run this step belongs to, or null outside a workflow
 * @param stepId the step's id in its workflow, or null outside a workflow
 * @param requestedBy who asked for the run, kept in its record
 */
public record ExecutionRequest(
    String script,
    String inputJson,
    Duration timeout,
    Duration grace,
    Limits limits,
    Map<String, String> env,
    String workflowRunId,
    String stepId,
    Requester requestedBy) {

  public ExecutionRequest {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(inputJson, "inputJson");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(requestedBy, "requestedBy");
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    for (String name : env.keySet()) {
      EnvironmentNames.problemWith(name)
          .ifPresent(
              problem -> {
                throw new IllegalArgumentException(problem);
              });
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative, was " + grace);
    }
    Ceilings.check("the timeout", timeout, Ceilings.TIMEOUT);
    Ceilings.check("the grace period", grace, Ceilings.GRACE);
  }

  /** A stand-alone run (not part of a workflow) with no extra environment. */
  public static ExecutionRequest standalone(
      String script,
      String inputJson,
      Duration timeout,
      Duration grace,
      Limits limits,
      Requester requestedBy) {
    return new ExecutionRequest(
        script, inputJson, timeout, grace, limits, Map.of(), null, null, requestedBy);
  }
}
