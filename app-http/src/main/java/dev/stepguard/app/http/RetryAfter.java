package dev.stepguard.app.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An honest {@code Retry-After} for a full queue: how long until a slot is likely free for one more
 * run, from the runs waiting, the slots and how long runs of this process typically take (a moving
 * average of the last ones). At least 1 s, at most {@link #MAX_SECONDS}.
 */
final class RetryAfter {
  static final long MAX_SECONDS = 120;

  /** The typical run duration in milliseconds, before any run ended: one second. */
  private static final AtomicLong TYPICAL_MS = new AtomicLong(1_000);

  private RetryAfter() {}

  /** Takes the duration of a run that ended into the typical duration (weight 1/8). */
  static void ended(Duration run) {
    long ms = Math.max(0, run.toMillis());
    TYPICAL_MS.updateAndGet(typical -> typical + (ms - typical) / 8);
  }

  /** The header's value when {@code queued} runs wait for {@code slots} slots. */
  static String seconds(int queued, int slots) {
    return Long.toString(estimate(queued, slots, TYPICAL_MS.get()));
  }

  /** Seconds until the run after {@code queued} waiting ones gets one of {@code slots}. */
  static long estimate(int queued, int slots, long typicalMs) {
    // The runs ahead go through the slots in waves; the first wave frees a slot after about half
    // a typical run, each further one after a whole one.
    double waves = (double) queued / Math.max(1, slots);
    long ms = (long) Math.ceil(typicalMs * (0.5 + waves));
    return Math.max(1, Math.min(MAX_SECONDS, (ms + 999) / 1000));
  }
}
