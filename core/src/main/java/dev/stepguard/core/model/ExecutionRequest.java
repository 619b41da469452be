package dev.stepguard.core.model;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A request to run one script, as a caller gave it: the script path and input are still raw text,
 * checked by the executor so that a bad request becomes a recorded REJECTED run, not an exception.
 *
 * @param env extra environment variables the step declared, with their values
 * @param workflowRunId the workflow run this step belongs to, or null outside a workflow
 * @param stepId the step's id in its workflow, or null outside a workflow
 * @param requestedBy who asked for the run, kept in its record
 * @param secrets values to mask wherever they appear in the stored record (the workflow's secret
 *     inputs, which a step may get under another key); never stored, and the script still gets the
 *     real values
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
    Requester requestedBy,
    Set<String> secrets) {

  public ExecutionRequest {
    secrets = Set.copyOf(Objects.requireNonNull(secrets, "secrets"));
    Objects.requireNonNull(script, "script");
    if (script.length() > ScriptPath.MAX_LENGTH) {
      // refused as too long either way; the record, the log and every listing keep only this much
      script = script.substring(0, ScriptPath.MAX_LENGTH + 1);
    }
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

  /** A request with no values to mask beyond those its own inputs show under secret names. */
  public ExecutionRequest(
      String script,
      String inputJson,
      Duration timeout,
      Duration grace,
      Limits limits,
      Map<String, String> env,
      String workflowRunId,
      String stepId,
      Requester requestedBy) {
    this(
        script,
        inputJson,
        timeout,
        grace,
        limits,
        env,
        workflowRunId,
        stepId,
        requestedBy,
        Set.of());
  }

  /** This request without its secret values: a record's {@code toString} must not leak them. */
  @Override
  public String toString() {
    return "ExecutionRequest[script=" + script + ", stepId=" + stepId + "]";
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
