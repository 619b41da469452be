package dev.stepguard.core.model;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Limits named as in {@code stepguard.yaml} and workflow files ({@code memory: 512MiB}), applied
 * over a base. Sizes are {@link Quantities#bytes}, {@code cpuTime} a duration, counts numbers.
 */
public final class LimitOverrides {
  public static final Set<String> NAMES =
      Collections.unmodifiableSortedSet(
          new TreeSet<>(
              Set.of(
                  "cpuTime",
                  "memory",
                  "fileSize",
                  "openFiles",
                  "processes",
                  "stdout",
                  "stderrTail",
                  "input",
                  "jsonDepth",
                  "tmp")));

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
      limits = one(limits, override.getKey(), override.getValue().strip());
    }
    return limits;
  }

  private static Limits one(Limits l, String name, String value) {
    switch (name) {
      case "cpuTime":
        return l.withCpuTimeMs(Quantities.duration(value).toMillis());
      case "memory":
        return new Limits(
            l.cpuTimeMs(),
            Quantities.bytes(value),
            l.fileSizeBytes(),
            l.openFiles(),
            l.processes(),
            l.stdoutBytes(),
            l.stderrTailBytes(),
            l.inputBytes(),
            l.jsonDepth(),
            l.tmpBytes());
      case "fileSize":
        return new Limits(
            l.cpuTimeMs(),
            l.memoryBytes(),
            Quantities.bytes(value),
            l.openFiles(),
            l.processes(),
            l.stdoutBytes(),
            l.stderrTailBytes(),
            l.inputBytes(),
            l.jsonDepth(),
            l.tmpBytes());
      case "openFiles":
        return new Limits(
            l.cpuTimeMs(),
            l.memoryBytes(),
            l.fileSizeBytes(),
            count(name, value),
            l.processes(),
            l.stdoutBytes(),
            l.stderrTailBytes(),
            l.inputBytes(),
            l.jsonDepth(),
            l.tmpBytes());
      case "processes":
        return new Limits(
            l.cpuTimeMs(),
            l.memoryBytes(),
            l.fileSizeBytes(),
            l.openFiles(),
            count(name, value),
            l.stdoutBytes(),
            l.stderrTailBytes(),
            l.inputBytes(),
            l.jsonDepth(),
            l.tmpBytes());
      case "stdout":
        return new Limits(
            l.cpuTimeMs(),
            l.memoryBytes(),
            l.fileSizeBytes(),
            l.openFiles(),
            l.processes(),
            Quantities.bytes(value),
            l.stderrTailBytes(),
            l.inputBytes(),
            l.jsonDepth(),
            l.tmpBytes());
      case "stderrTail":
        return new Limits(
            l.cpuTimeMs(),
            l.memoryBytes(),
            l.fileSizeBytes(),
            l.openFiles(),
            l.processes(),
            l.stdoutBytes(),
            Quantities.bytes(value),
            l.inputBytes(),
            l.jsonDepth(),
            l.tmpBytes());
      case "input":
        return new Limits(
            l.cpuTimeMs(),
            l.memoryBytes(),
            l.fileSizeBytes(),
            l.openFiles(),
            l.processes(),
            l.stdoutBytes(),
            l.stderrTailBytes(),
            Quantities.bytes(value),
            l.jsonDepth(),
            l.tmpBytes());
      case "jsonDepth":
        return new Limits(
            l.cpuTimeMs(),
            l.memoryBytes(),
            l.fileSizeBytes(),
            l.openFiles(),
            l.processes(),
            l.stdoutBytes(),
            l.stderrTailBytes(),
            l.inputBytes(),
            Math.toIntExact(count(name, value)),
            l.tmpBytes());
      case "tmp":
        return new Limits(
            l.cpuTimeMs(),
            l.memoryBytes(),
            l.fileSizeBytes(),
            l.openFiles(),
            l.processes(),
            l.stdoutBytes(),
            l.stderrTailBytes(),
            l.inputBytes(),
            l.jsonDepth(),
            Quantities.bytes(value));
      default:
        throw new IllegalArgumentException("unknown limit '" + name + "'; known limits: " + NAMES);
    }
  }

  private static long count(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + value + "' is not a whole number for the limit " + name, e);
    }
  }
}
