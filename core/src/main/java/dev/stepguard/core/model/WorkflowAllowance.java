package dev.stepguard.core.model;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the operator lets a workflow file ask for: a step may ask for less, never for more.
 *
 * @param maxTimeout the longest timeout a step may set
 * @param ceiling the highest limits a step may set; its CPU time is the most a step may ask for
 * @param env the host environment variables steps may name in {@code env}
 */
public record WorkflowAllowance(Duration maxTimeout, Limits ceiling, Set<String> env) {
  public WorkflowAllowance {
    Objects.requireNonNull(maxTimeout, "maxTimeout");
    Objects.requireNonNull(ceiling, "ceiling");
    env = Set.copyOf(Objects.requireNonNull(env, "env"));
  }
}
