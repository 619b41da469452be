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

  /** The latest instant a key can hold: 2^43 - 1 ms after the epoch, in the year 2248. */
  static final Instant LAST = Instant.ofEpochMilli((1L << (Long.SIZE - 1 - BITS)) - 1);

  /**
   * The smallest key of a run that started at {@code instant}; an instant before the epoch or after
   * {@link #LAST} (a filter's bound, never a run's start) counts as that end of the range, so that
   * {@code since=1600-01-01} finds every run and {@code since=2300-01-01} none.
   */
  static long first(Instant instant) {
    if (instant.isBefore(Instant.EPOCH)) {
      return 0;
    }
    return (instant.isAfter(LAST) ? LAST : instant).toEpochMilli() << BITS;
  }
}
