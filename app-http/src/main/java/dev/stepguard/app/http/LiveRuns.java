package dev.stepguard.app.http;

import dev.stepguard.core.model.CancelRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The runs this server started that have not ended yet (queued or running), by id: what a cancel
 * request trips, what an event stream waits on, and what a shutdown cancels.
 */
final class LiveRuns {
  /** One live run: how to stop it (withdraw it if still queued), and its end. */
  record Live(Consumer<CancelRequest> stop, CompletableFuture<?> end) {
    Live {
      Objects.requireNonNull(stop, "stop");
      Objects.requireNonNull(end, "end");
    }
  }

  private final Map<String, Live> runs = new ConcurrentHashMap<>();

  /** Registers a run until {@code end} completes. */
  void add(String id, Consumer<CancelRequest> stop, CompletableFuture<?> end) {
    runs.put(id, new Live(stop, end));
    end.whenComplete((result, error) -> runs.remove(id));
  }

  Optional<Live> find(String id) {
    return Optional.ofNullable(runs.get(id));
  }

  /** Asks run {@code id} to stop; false if this server has no such live run. */
  boolean cancel(String id, CancelRequest request) {
    Live live = runs.get(id);
    if (live == null) {
      return false;
    }
    live.stop().accept(request);
    return true;
  }

  /** Asks every live run to stop. */
  void cancelAll(CancelRequest request) {
    runs.values().forEach(live -> live.stop().accept(request));
  }

  /** The ends of every live run. */
  List<CompletableFuture<?>> ends() {
    return runs.values().stream().<CompletableFuture<?>>map(Live::end).toList();
  }

  int size() {
    return runs.size();
  }
}
