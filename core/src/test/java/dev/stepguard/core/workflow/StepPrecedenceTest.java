package dev.stepguard.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepguard.core.model.LimitValues;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.StepSettings;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowStep;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepPrecedenceTest {
  private static final StepSettings SETTINGS =
      new StepSettings(Duration.ofSeconds(30), Duration.ofSeconds(3), Limits.defaults(33_000), 0);

  private static WorkflowStep step(
      Optional<Duration> timeout, LimitValues limits, List<String> env) {
    return new WorkflowStep(
        "a", "a.py", JsonNodeFactory.instance.objectNode(), timeout, limits, List.of(), env);
  }

  private static Workflow workflow(
      Optional<Duration> timeout, LimitValues limits, List<String> env, WorkflowStep step) {
    return new Workflow("flow.yaml", "0", "flow", List.of(), timeout, limits, env, List.of(step));
  }

  @Test
  void theStepsOwnTimeoutWinsThenTheWorkflowsThenTheConfiguredOne() {
    WorkflowStep own = step(Optional.of(Duration.ofSeconds(5)), LimitValues.NONE, List.of());
    WorkflowStep none = step(Optional.empty(), LimitValues.NONE, List.of());

    assertThat(
            StepPrecedence.timeout(
                workflow(Optional.of(Duration.ofSeconds(9)), LimitValues.NONE, List.of(), own),
                own,
                SETTINGS))
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(
            StepPrecedence.timeout(
                workflow(Optional.of(Duration.ofSeconds(9)), LimitValues.NONE, List.of(), none),
                none,
                SETTINGS))
        .isEqualTo(Duration.ofSeconds(9));
    assertThat(
            StepPrecedence.timeout(
                workflow(Optional.empty(), LimitValues.NONE, List.of(), none), none, SETTINGS))
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void theStepsLimitsGoOverTheWorkflowsWhichGoOverTheConfiguredOnes() {
    WorkflowStep step =
        step(Optional.empty(), new LimitValues(Map.of("memory", 128L << 20)), List.of());
    Workflow workflow =
        workflow(
            Optional.empty(),
            new LimitValues(Map.of("memory", 256L << 20, "openFiles", 16L)),
            List.of(),
            step);

    Limits limits = StepPrecedence.limits(workflow, step, SETTINGS, Duration.ofSeconds(10));

    assertThat(limits.memoryBytes()).isEqualTo(128L << 20);
    assertThat(limits.openFiles()).isEqualTo(16);
    assertThat(limits.cpuTimeMs()).isEqualTo(13_000);
    assertThat(limits.processes()).isEqualTo(Limits.defaults(1).processes());
  }

  @Test
  void passesTheNamedHostVariablesTheHostHas() {
    WorkflowStep step = step(Optional.empty(), LimitValues.NONE, List.of("TOKEN", "ABSENT"));
    Workflow workflow = workflow(Optional.empty(), LimitValues.NONE, List.of("LANG"), step);

    Map<String, String> env =
        StepPrecedence.environment(workflow, step, Map.of("LANG", "C", "TOKEN", "t", "OTHER", "o"));

    assertThat(env).containsOnly(Map.entry("LANG", "C"), Map.entry("TOKEN", "t"));
  }
}
