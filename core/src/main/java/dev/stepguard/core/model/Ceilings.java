package dev.stepguard.core.model;

import java.time.Duration;
import java.util.Map;

/**
 * The most any setting may ask for, whoever sets it: values beyond these are no bound at all, or
 * would exhaust the host program before the run ends (docs/configuration.md says why each).
 */
public final class Ceilings {
  private static final long MIB = 1024L * 1024L;

  /** The longest run timeout, {@code maxTimeout} included. */
  public static final Duration TIMEOUT = Duration.ofDays(30);

  /** The longest wait between SIGTERM and SIGKILL. */
  public static final Duration GRACE = Duration.ofHours(1);

  /** The most CPU time: the longest timeout plus the longest grace fits under it. */
  public static final Duration CPU_TIME = Duration.ofDays(31);

  /** The oldest age {@code history prune} takes: ten years. */
  public static final Duration RETENTION = Duration.ofDays(3650);

  /** The ceiling of each limit, by its name in {@code stepguard.yaml}; CPU time in ms. */
  public static final Map<String, Long> LIMITS =
      Map.of(
          "cpuTime", CPU_TIME.toMillis(),
          "memory", 1024L * 1024 * MIB,
          "fileSize", 1024L * 1024 * MIB,
          "openFiles", 1L << 20,
          "processes", 32_768L,
          "stdout", 256 * MIB,
          "stderrTail", 16 * MIB,
          "input", 64 * MIB,
          "jsonDepth", 1000L,
          "tmp", 1024 * MIB);

  private Ceilings() {}

  /** {@code value}, or an IllegalArgumentException saying that {@code what} is over its ceiling. */
  public static Duration check(String what, Duration value, Duration ceiling) {
    if (value.compareTo(ceiling) > 0) {
      throw new IllegalArgumentException(
          what
              + " "
              + Quantities.text(value)
              + " is over its ceiling of "
              + Quantities.text(ceiling)
              + " (the most stepguard allows)");
    }
    return value;
  }

  /** {@code value}, or an IllegalArgumentException saying that the limit is over its ceiling. */
  public static long checkLimit(String name, long value) {
    if (value > LIMITS.get(name)) {
      throw new IllegalArgumentException(
          "the limit " + name + " is " + value + ", over its ceiling of " + text(name));
    }
    return value;
  }

  /** The ceiling of the limit {@code name} as it would be written: {@code 256MiB}, {@code 31d}. */
  public static String text(String name) {
    long ceiling = LIMITS.get(name);
    return switch (name) {
      case "cpuTime" -> Quantities.text(Duration.ofMillis(ceiling));
      case "openFiles", "processes", "jsonDepth" -> String.valueOf(ceiling);
      default -> Quantities.bytesText(ceiling);
    };
  }
}
