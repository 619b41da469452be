package dev.stepguard.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * Limits a workflow file sets, by name, parsed and within their ceilings: sizes in bytes, {@code
 * cpuTime} in milliseconds, counts as numbers. Nothing downstream parses their text again.
 *
 * @param byName the values by limit name, as {@link LimitOverrides#NAMES} spells them
 */
public record LimitValues(Map<String, Long> byName) {
  /** No limit set: every limit stays as the base has it. */
  public static final LimitValues NONE = new LimitValues(Map.of());

  public LimitValues {
    byName = Map.copyOf(Objects.requireNonNull(byName, "byName"));
    LimitOverrides.with(Limits.defaults(1000), byName);
  }

  /** {@code base} with these limits in place of its own. */
  public Limits over(Limits base) {
    return LimitOverrides.with(base, byName);
  }
}
