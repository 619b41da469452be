package dev.stepguard.core.model;

/**
 * The resource limits of one run. Sizes are in bytes, times in milliseconds. {@code memoryBytes}
 * holds for each process, and for the run as a whole where the host offers cgroups; {@code
 * processes} holds for the run where the host offers cgroups, elsewhere only where the isolation
 * level can enforce it for every user (the sandbox). Each is at most its {@link Ceilings ceiling}.
 */
public record Limits(
    long cpuTimeMs,
    long memoryBytes,
    long fileSizeBytes,
    long openFiles,
    long processes,
    long stdoutBytes,
    long stderrTailBytes,
    long inputBytes,
    int jsonDepth,
    long tmpBytes) {
  private static final long MIB = 1024L * 1024L;

  public Limits {
    within("cpuTime", cpuTimeMs);
    within("memory", memoryBytes);
    within("fileSize", fileSizeBytes);
    within("openFiles", openFiles);
    within("processes", processes);
    within("stdout", stdoutBytes);
    within("stderrTail", stderrTailBytes);
    within("input", inputBytes);
    within("jsonDepth", jsonDepth);
    within("tmp", tmpBytes);
  }

  /**
   * The default limits (the table in docs/script-authoring.md, "Limits"), with the CPU limit equal
   * to the given timeout.
   */
  public static Limits defaults(long timeoutMs) {
    return new Limits(
        timeoutMs, 1024 * MIB, 64 * MIB, 256, 64, 10 * MIB, 64 * 1024, 4 * MIB, 200, 64 * MIB);
  }

  /** The CPU limit in the whole seconds the kernel counts, rounded up. */
  public long cpuTimeSeconds() {
    return (cpuTimeMs + 999) / 1000;
  }

  public Limits withCpuTimeMs(long value) {
    return new Limits(
        value,
        memoryBytes,
        fileSizeBytes,
        openFiles,
        processes,
        stdoutBytes,
        stderrTailBytes,
        inputBytes,
        jsonDepth,
        tmpBytes);
  }

  /** Positive and at most its ceiling, checked again here whatever parsed it. */
  private static void within(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("the limit " + name + " must be positive, was " + value);
    }
    Ceilings.checkLimit(name, value);
  }
}
