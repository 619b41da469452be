package dev.stepguard.core.model;

/**
 * The resource limits of one run. Sizes are in bytes, times in milliseconds. {@code memoryBytes}
 * holds for each process, and for the run as a whole where the host offers cgroups; {@code
 * processes} holds for the run where the host offers cgroups, elsewhere only where the isolation
 * level can enforce it for every user (the sandbox).
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
    positive("cpuTimeMs", cpuTimeMs);
    positive("memoryBytes", memoryBytes);
    positive("fileSizeBytes", fileSizeBytes);
    positive("openFiles", openFiles);
    positive("processes", processes);
    positive("stdoutBytes", stdoutBytes);
    positive("stderrTailBytes", stderrTailBytes);
    positive("inputBytes", inputBytes);
    positive("jsonDepth", jsonDepth);
    positive("tmpBytes", tmpBytes);
  }

  /** The defaults of SECURITY.md, with the CPU limit equal to the given timeout. */
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

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
