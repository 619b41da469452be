package dev.stepguard.app.http;

import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Status;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@code GET /api/v1/executions/{id}/events}: a text/event-stream of the run's status changes
 * ({@code event: status}), then its final record ({@code event: record}), then the end of the
 * stream. A run of another stepguard process is followed through the history.
 */
final class EventRoutes {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final Function<String, ExecutionRecord> records;
  private final Function<String, Optional<ExecutionRecord>> byId;
  private final LiveRuns live;
  private final Clock clock;

  EventRoutes(
      Function<String, ExecutionRecord> records,
      Function<String, Optional<ExecutionRecord>> byId,
      LiveRuns live,
      Clock clock) {
    this.records = Objects.requireNonNull(records, "records");
    this.byId = Objects.requireNonNull(byId, "byId");
    this.live = Objects.requireNonNull(live, "live");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  void stream(Context ctx) throws IOException {
    BearerAuth.caller(ctx);
    ExecutionRecord first = records.apply(ctx.pathParam("id"));
    String id = first.id().value();
    ctx.status(200);
    ctx.res().setContentType("text/event-stream;charset=utf-8");
    ctx.res().setHeader("Cache-Control", "no-store");
    ctx.res().setHeader("X-Accel-Buffering", "no");
    OutputStream out = ctx.res().getOutputStream();
    send(out, "status", status(first));
    ExecutionRecord last = first;
    Instant deadline =
        clock.instant().plusMillis(first.timeoutMs()).plus(Duration.ofMinutes(2)).plus(POLL);
    Instant nextKeepAlive = clock.instant().plus(KEEP_ALIVE);
    // A run of this server is followed to its end however long it waits for a slot; the deadline
    // only bounds following another process's run, which may never be closed.
    while (last.status() == Status.RUNNING
        && (live.find(id).isPresent() || clock.instant().isBefore(deadline))) {
      waitForEnd(id);
      Optional<ExecutionRecord> now = byId.apply(id);
      if (now.isPresent() && now.get().status() != last.status()) {
        last = now.get();
        send(out, "status", status(last));
      } else if (clock.instant().isAfter(nextKeepAlive)) {
        out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        nextKeepAlive = clock.instant().plus(KEEP_ALIVE);
      }
    }
    send(out, "record", Json.text(last));
    out.flush();
  }

  /** Waits for the end of this server's run, or one poll interval for another's. */
  private void waitForEnd(String id) {
    Optional<CompletableFuture<?>> end = live.find(id).map(LiveRuns.Live::end);
    try {
      if (end.isPresent()) {
        end.get().get(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        Thread.sleep(POLL.toMillis());
      }
    } catch (TimeoutException | ExecutionException stillGoingOrFailed) {
      // look at the history again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String status(ExecutionRecord record) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("id", record.id().value());
    event.put("status", record.status().name());
    return Json.text(event);
  }

  private static void send(OutputStream out, String event, String data) throws IOException {
    out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The lookup of a run by its full id, for following it. */
  static Optional<ExecutionRecord> find(HistoryQueries history, String id) {
    return history.show(id) instanceof HistoryQueries.Lookup.Found found
        ? Optional.of(found.record())
        : Optional.empty();
  }
}
