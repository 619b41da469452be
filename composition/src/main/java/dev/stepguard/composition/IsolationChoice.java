package dev.stepguard.composition;

import java.util.Locale;

/**
 * What the user asked for: one isolation level, or {@code auto} to take the strongest that works.
 */
public enum IsolationChoice {
  /** Plain child processes. */
  PROCESS,
  /** Bubblewrap; a host without it gets LAUNCH_FAILED, never a fallback. */
  SANDBOX,
  /** The sandbox where bubblewrap works on this host, process isolation elsewhere. */
  AUTO;

  /**
   * The choice {@code text} names, in any case.
   *
   * @throws IllegalArgumentException naming the levels there are
   */
  public static IsolationChoice parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an isolation level; use process, sandbox or auto", e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
