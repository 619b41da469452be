package dev.stepguard.core.model;

import java.time.Duration;
import java.util.Objects;

/**
 * What a step gets where neither it nor its workflow's defaults say otherwise: the configured
 * timeout, grace and limits.
 *
 * @param cpuTimeMs the configured CPU limit, or 0 for the step's timeout plus the grace period
 */
public record StepSettings(Duration timeout, Duration grace, Limits baseLimits, long cpuTimeMs) {
  public StepSettings {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(baseLimits, "baseLimits");
  }

  /** The limits of a step with this timeout, before the workflow's own overrides. */
  public Limits limitsFor(Duration stepTimeout) {
    return baseLimits.withCpuTimeMs(cpuTimeMs > 0 ? cpuTimeMs : stepTimeout.plus(grace).toMillis());
  }
}
