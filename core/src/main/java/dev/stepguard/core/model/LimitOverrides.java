package dev.stepguard.core.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Limits named as in {@code stepguard.yaml} and workflow files ({@code memory: 512MiB}), applied
 * over a base. Sizes are {@link Quantities#bytes}, {@code cpuTime} a duration, counts numbers.
 */
public final class LimitOverrides {
  /** The names in the order of {@link Limits}' components. */
  private static final List<String> ORDER =
      List.of(
          "cpuTime",
          "memory",
          "fileSize",
          "openFiles",
          "processes",
          "stdout",
          "stderrTail",
          "input",
          "jsonDepth",
          "tmp");

  /** The names, sorted, as messages list them. */
  public static final Set<String> NAMES = Collections.unmodifiableSortedSet(new TreeSet<>(ORDER));

  private LimitOverrides() {}

  /** Why {@code value} is no value for the limit {@code name}, or empty when it is one. */
  public static Optional<String> problemWith(String name, String value) {
    if (!NAMES.contains(name)) {
      return Optional.of("unknown limit '" + name + "'; known limits: " + NAMES);
    }
    try {
      apply(Limits.defaults(1000), Map.of(name, value));
      return Optional.empty();
    } catch (IllegalArgumentException | ArithmeticException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** {@code base} with the named limits replaced; an unknown name or bad value is an error. */
  public static Limits apply(Limits base, Map<String, String> overrides) {
    Limits limits = base;
    for (Map.Entry<String, String> override : overrides.entrySet()) {
      String value = override.getValue().strip();
      limits = with(limits, override.getKey(), parse(override.getKey(), value));
    }
    return limits;
  }

  /**
   * {@code base} with the named limits set to values already parsed; an unknown name is an error.
   */
  static Limits with(Limits base, Map<String, Long> values) {
    Limits limits = base;
    for (Map.Entry<String, Long> value : values.entrySet()) {
      limits = with(limits, value.getKey(), value.getValue());
    }
    return limits;
  }

  /** The names of the limits in which {@code candidate} is higher than {@code allowed}. */
  public static List<String> above(Limits candidate, Limits allowed) {
    long[] wanted = values(candidate);
    long[] most = values(allowed);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < wanted.length; i++) {
      if (wanted[i] > most[i]) {
        names.add(ORDER.get(i));
      }
    }
    return names;
  }

  /** Each limit at the lower of its two values. */
  public static Limits lowest(Limits a, Limits b) {
    long[] x = values(a);
    long[] y = values(b);
    long[] v = new long[x.length];
    for (int i = 0; i < x.length; i++) {
      v[i] = Math.min(x[i], y[i]);
    }
    return of(v);
  }

  private static Limits of(long[] v) {
    return new Limits(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], Math.toIntExact(v[8]), v[9]);
  }

  private static long[] values(Limits l) {
    return new long[] {
      l.cpuTimeMs(),
      l.memoryBytes(),
      l.fileSizeBytes(),
      l.openFiles(),
      l.processes(),
      l.stdoutBytes(),
      l.stderrTailBytes(),
      l.inputBytes(),
      l.jsonDepth(),
      l.tmpBytes()
    };
  }

  /**
   * The value of the limit {@code name} written as {@code value}: bytes, milliseconds or a count;
   * an unknown name, a bad value or one over its ceiling is an error that says so.
   */
  public static long parse(String name, String value) {
    if (!ORDER.contains(name)) {
      throw new IllegalArgumentException("unknown limit '" + name + "'; known limits: " + NAMES);
    }
    long parsed =
        switch (name) {
          case "cpuTime" -> millis(Quantities.duration(value));
          case "openFiles", "processes", "jsonDepth" -> count(name, value);
          default -> Quantities.bytes(value);
        };
    if (parsed > Ceilings.LIMITS.get(name)) {
      throw new IllegalArgumentException(
          "the limit " + name + ": " + value + " is over its ceiling of " + Ceilings.text(name));
    }
    return parsed;
  }

  private static Limits with(Limits l, String name, long value) {
    long[] v = values(l);
    int index = ORDER.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("unknown limit '" + name + "'; known limits: " + NAMES);
    }
    v[index] = value;
    return of(v);
  }

  /** Milliseconds, or the most a long holds for a duration far over any ceiling. */
  private static long millis(Duration duration) {
    return duration.compareTo(Ceilings.CPU_TIME) > 0 ? Long.MAX_VALUE : duration.toMillis();
  }

  private static long count(String name, String value) {
    try {
      long count = Long.parseLong(value);
      if (count <= 0) {
        throw new IllegalArgumentException("the limit " + name + " must be positive, was " + value);
      }
      return count;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a whole number for the limit " + name, e);
    }
  }
}
