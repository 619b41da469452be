package dev.stepguard.adapters.persistence;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The history's order key: a run's start time in milliseconds, shifted left by {@value #BITS} bits,
 * plus that many random bits to tell apart runs started in the same millisecond. Ordering by it is
 * ordering by start time; a time range is a key range.
 */
final class Seq {
  static final int BITS = 20;

  private Seq() {}

  /** A key for a run that started at {@code startedAt}. */
  static long random(Instant startedAt) {
    return first(startedAt) | ThreadLocalRandom.current().nextInt(1 << BITS);
  }

  /** The smallest key of a run that started at {@code instant}. */
  static long first(Instant instant) {
    return instant.toEpochMilli() << BITS;
  }
}
