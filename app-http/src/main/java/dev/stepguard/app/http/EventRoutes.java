package dev.stepguard.app.http;

import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Status;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/executions/{id}/events}: a text/event-stream of the run's status changes
 * ({@code event: status}), then its final record ({@code event: record}), then the end of the
 * stream. A run of this server is followed through its end; a run of another stepguard process
 * through the history, looked at every {@link #POLL}.
 *
 * <p>A stream holds no request thread while it is open: the request is asynchronous, the events are
 * written without blocking ({@link EventStream}) by a small scheduler, and at most {@link
 * #MAX_STREAMS} are open at once (beyond, a 503 problem at once).
 */
final class EventRoutes {
  /** The most event streams open at once. */
  static final int MAX_STREAMS = 256;

  static final Duration POLL = Duration.ofMillis(500);
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(EventRoutes.class);

  private final Function<String, ExecutionRecord> records;
  private final Function<String, Optional<ExecutionRecord>> byId;
  private final LiveRuns live;
  private final Clock clock;
  private final ConnectionTimeouts timeouts;
  private final ScheduledExecutorService scheduler;
  private final Semaphore open = new Semaphore(MAX_STREAMS);

  EventRoutes(
      Function<String, ExecutionRecord> records,
      Function<String, Optional<ExecutionRecord>> byId,
      LiveRuns live,
      Clock clock,
      ConnectionTimeouts timeouts,
      ScheduledExecutorService scheduler) {
    this.records = Objects.requireNonNull(records, "records");
    this.byId = Objects.requireNonNull(byId, "byId");
    this.live = Objects.requireNonNull(live, "live");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
  }

  /** Streams open now. */
  int streams() {
    return MAX_STREAMS - open.availablePermits();
  }

  void stream(Context ctx) {
    BearerAuth.caller(ctx);
    ExecutionRecord first = records.apply(ctx.pathParam("id"));
    String id = first.id().value();
    Status now = first.status();
    if (!open.tryAcquire()) {
      throw new ApiProblem(
          ProblemType.TOO_MANY_STREAMS,
          MAX_STREAMS
              + " event streams are open, the most this server keeps; poll GET "
              + ExecutionRoutes.location(id)
              + " or try again later",
          Map.of("maxStreams", MAX_STREAMS),
          Map.of("Retry-After", "5"));
    }
    // Another process's run is followed up to its timeout and a margin (it may never be closed);
    // a run of this server to its end, however long it waits for a slot, since every run ends.
    Instant deadline = clock.instant().plusMillis(first.timeoutMs()).plus(Duration.ofMinutes(2));
    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-store");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    ctx.future(() -> follow(ctx, id, now, first, deadline));
  }

  private CompletableFuture<Void> follow(
      Context ctx, String id, Status now, ExecutionRecord first, Instant deadline) {
    EventStream out;
    try {
      // No async timeout for a run of this server: the stream ends with the run.
      long untilDeadline = Duration.between(clock.instant(), deadline).toMillis();
      out =
          EventStream.open(ctx, live.find(id).isPresent() ? 0 : untilDeadline + 60_000, scheduler);
      timeouts.waiting(ctx, KEEP_ALIVE.multipliedBy(3).toMillis());
    } catch (IOException | RuntimeException e) {
      open.release();
      LOG.debug("event stream of {} could not open", id, e);
      return CompletableFuture.completedFuture(null);
    }
    Follower follower = new Follower(id, out, now, first, deadline);
    out.send("status", status(id, now));
    ScheduledFuture<?> ticks =
        scheduler.scheduleWithFixedDelay(
            follower::tick, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    live.find(id)
        .ifPresent(run -> run.end().whenCompleteAsync((r, e) -> follower.tick(), scheduler));
    if (now != Status.RUNNING) {
      scheduler.execute(follower::tick);
    }
    // Javalin finishes the request when this completes: only when the stream was closed, since a
    // broken one's request is completed and recycled already.
    CompletableFuture<Void> answered = new CompletableFuture<>();
    out.ended()
        .thenAccept(
            closed -> {
              ticks.cancel(false);
              open.release();
              // A client that closed right after the last event had its request completed by
              // the container already: touching it then threw in Javalin's hands.
              if (closed && out.stillOpen()) {
                timeouts.reading(ctx);
                answered.complete(null);
              }
            });
    return answered;
  }

  /** The state of one stream, advanced on the scheduler's thread only. */
  private final class Follower {
    private final String id;
    private final EventStream out;
    private final Instant deadline;
    private Status last;
    private ExecutionRecord record;
    private Instant lastSent;

    Follower(String id, EventStream out, Status now, ExecutionRecord first, Instant deadline) {
      this.id = id;
      this.out = out;
      this.last = now;
      this.record = first;
      this.deadline = deadline;
      this.lastSent = clock.instant();
    }

    synchronized void tick() {
      try {
        if (out.isOver()) {
          return;
        }
        boolean ours = live.find(id).map(run -> !run.end().isDone()).orElse(false);
        if (last == Status.RUNNING && !ours) {
          Optional<ExecutionRecord> seen = byId.apply(id);
          if (seen.isPresent()) {
            record = seen.get();
          }
        }
        if (record != null && record.status() != last) {
          last = record.status();
          out.send("status", status(id, last));
          lastSent = clock.instant();
        }
        if (last != Status.RUNNING || (!ours && clock.instant().isAfter(deadline))) {
          if (record != null) {
            out.send("record", Json.text(record));
          }
          out.close();
        } else if (clock.instant().isAfter(lastSent.plus(KEEP_ALIVE))) {
          out.keepAlive();
          lastSent = clock.instant();
        }
      } catch (RuntimeException e) {
        // the history may be out of reach for a moment: look again at the next tick
        LOG.debug("following {}", id, e);
      }
    }
  }

  private static String status(String id, Status status) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", id);
    event.put("status", status.name());
    return Json.text(event);
  }

  /** The lookup of a run by its full id, for following it. */
  static Optional<ExecutionRecord> find(HistoryQueries history, String id) {
    return history.show(id) instanceof HistoryQueries.Lookup.Found found
        ? Optional.of(found.record())
        : Optional.empty();
  }
}
