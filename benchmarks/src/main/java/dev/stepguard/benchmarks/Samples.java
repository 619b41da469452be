package dev.stepguard.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Timings in nanoseconds, summarised as percentiles in milliseconds. */
final class Samples {
  private final long[] nanos;
  private int size;
  private long peakRssKib;

  Samples(int capacity) {
    nanos = new long[capacity];
  }

  void add(long value) {
    nanos[size++] = value;
  }

  /** Samples of several threads, each with its own, taken together. */
  static Samples merged(java.util.List<Samples> parts) {
    Samples all = new Samples(parts.stream().mapToInt(Samples::size).sum());
    for (Samples part : parts) {
      System.arraycopy(part.nanos, 0, all.nanos, all.size, part.size);
      all.size += part.size;
    }
    return all;
  }

  double percentileMs(double p) {
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    int index = (int) Math.min(size - 1, Math.max(0, Math.ceil(p / 100.0 * size) - 1));
    return sorted[index] / 1e6;
  }

  /** Keeps the largest resident size seen by the measured runs, in KiB. */
  void noteRss(long kib) {
    peakRssKib = Math.max(peakRssKib, kib);
  }

  long peakRssKib() {
    return peakRssKib;
  }

  int size() {
    return size;
  }

  double meanMs() {
    return Arrays.stream(nanos, 0, size).average().orElse(0) / 1e6;
  }

  String summary(String label) {
    return String.format(
        Locale.ROOT,
        "%-34s n=%d  p50=%7.2f ms  p90=%7.2f ms  p99=%7.2f ms  mean=%7.2f ms",
        label,
        size,
        percentileMs(50),
        percentileMs(90),
        percentileMs(99),
        meanMs());
  }
}
