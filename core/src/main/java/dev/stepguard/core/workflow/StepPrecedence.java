package dev.stepguard.core.workflow;

import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.StepSettings;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowStep;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a step runs with: its own setting, else its workflow's default, else the configured one. */
final class StepPrecedence {
  private StepPrecedence() {}

  static Duration timeout(Workflow workflow, WorkflowStep step, StepSettings settings) {
    return step.timeout().or(workflow::defaultTimeout).orElse(settings.timeout());
  }

  /** The configured limits for a step of {@code timeout}, under the workflow's and the step's. */
  static Limits limits(
      Workflow workflow, WorkflowStep step, StepSettings settings, Duration timeout) {
    return step.limits().over(workflow.defaultLimits().over(settings.limitsFor(timeout)));
  }

  /** The host variables the workflow's defaults and the step name, those the host has. */
  static Map<String, String> environment(
      Workflow workflow, WorkflowStep step, Map<String, String> host) {
    Map<String, String> env = new HashMap<>();
    for (List<String> names : List.of(workflow.defaultEnv(), step.env())) {
      for (String name : names) {
        Optional.ofNullable(host.get(name)).ifPresent(value -> env.put(name, value));
      }
    }
    return env;
  }
}
