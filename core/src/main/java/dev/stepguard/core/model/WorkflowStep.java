package dev.stepguard.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a workflow, as its file states it: the input object may hold {@code ${...}}
 * references, resolved only when the step is about to run.
 *
 * @param timeout the step's own timeout, over the workflow's defaults
 * @param limits the step's own limits, parsed, over the workflow's defaults
 * @param paths the input fields that are file paths inside the project
 * @param env names of host environment variables the step receives
 */
public record WorkflowStep(
    String id,
    String script,
    JsonNode inputs,
    Optional<Duration> timeout,
    LimitValues limits,
    List<String> paths,
    List<String> env) {
  public WorkflowStep {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(inputs, "inputs");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(limits, "limits");
    paths = List.copyOf(Objects.requireNonNull(paths, "paths"));
    env = List.copyOf(Objects.requireNonNull(env, "env"));
    if (!inputs.isObject()) {
      throw new IllegalArgumentException("a step's inputs are a JSON object");
    }
  }
}
