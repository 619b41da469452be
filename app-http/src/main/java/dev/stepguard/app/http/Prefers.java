package dev.stepguard.app.http;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** {@code Prefer: respond-async} (RFC 7240): answer once the run is recorded, not at its end. */
final class Prefers {
  /** How long an async answer waits for the RUNNING record before it answers without it. */
  static final Duration RECORD_WAIT = Duration.ofSeconds(2);

  private static final Duration POLL = Duration.ofMillis(20);

  private Prefers() {}

  static boolean async(Context ctx) {
    return ctx.headerMap().entrySet().stream()
        .filter(header -> header.getKey().equalsIgnoreCase("Prefer"))
        .flatMap(header -> java.util.Arrays.stream(header.getValue().split(",")))
        .anyMatch(token -> token.trim().toLowerCase(Locale.ROOT).equals("respond-async"));
  }

  /**
   * Waits, up to {@link #RECORD_WAIT}, until {@code find} sees the run's RUNNING record or the run
   * ends; gives what {@code find} saw last. A run still queued has no record yet.
   */
  static <T> Optional<T> awaitRecorded(
      CompletableFuture<?> end, Supplier<Optional<T>> find, Clock clock) {
    Instant deadline = clock.instant().plus(RECORD_WAIT);
    while (true) {
      Optional<T> seen = find.get();
      if (seen.isPresent() || end.isDone() || clock.instant().isAfter(deadline)) {
        return seen;
      }
      try {
        end.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException stillGoing) {
        // look again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return seen;
      }
    }
  }
}
