package dev.stepguard.core.execution;

import java.time.Duration;

/** Sizes and durations written for people: {@code 10 MiB}, {@code 1.5 s}. */
public final class Sizes {
  private Sizes() {}

  public static String bytes(long bytes) {
    long kib = 1024;
    long mib = kib * 1024;
    long gib = mib * 1024;
    if (bytes >= gib && bytes % gib == 0) {
      return bytes / gib + " GiB";
    }
    if (bytes >= mib && bytes % mib == 0) {
      return bytes / mib + " MiB";
    }
    if (bytes >= kib && bytes % kib == 0) {
      return bytes / kib + " KiB";
    }
    return bytes + " bytes";
  }

  static String duration(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 1000 == 0) {
      return ms / 1000 + " s";
    }
    return ms + " ms";
  }
}
