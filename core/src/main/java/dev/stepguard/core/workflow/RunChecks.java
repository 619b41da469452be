package dev.stepguard.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowStep;
import dev.stepguard.core.port.PathPolicy;
import java.util.Optional;
import java.util.function.Function;

/** The checks on a run's inputs and path inputs, made before the steps that use them start. */
final class RunChecks {
  private RunChecks() {}

  /** A declared input missing, or an input the workflow does not declare. */
  static Optional<String> inputProblem(Workflow workflow, JsonNode inputs) {
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
  static Optional<String> earlyPathProblem(
      PathPolicy paths, WorkflowStep step, Function<References.Reference, JsonNode> lookup) {
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
        Optional<String> problem = pathProblem(paths, path, References.resolve(template, lookup));
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

  /** Why the value of the path input {@code path} is no path inside the project, or empty. */
  static Optional<String> pathProblem(PathPolicy paths, String path, JsonNode value) {
    return value.isTextual()
        ? paths.inputPathProblem(value.asText())
        : Optional.of("the path input '" + path + "' is not a string: " + value);
  }
}
