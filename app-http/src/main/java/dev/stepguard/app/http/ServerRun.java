package dev.stepguard.app.http;

import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of this server from its acceptance to its end: queued until its turn in a slot, then
 * started, unless a cancel request withdrew it first. Whichever comes first wins, so a withdrawn
 * run never starts and a started one is cancelled like any running run. A {@link #held} run starts
 * only once {@link #go} lets it (a run handed off by the command line, which must first say that it
 * still waits for it); its turn waits for that or for its withdrawal.
 */
final class ServerRun<R> {
  private enum State {
    QUEUED,
    STARTED,
    WITHDRAWN
  }

  private final String id;
  private final RunKind<R> kind;
  private final Metrics metrics;
  private final AtomicReference<State> state = new AtomicReference<>(State.QUEUED);
  private final CompletableFuture<R> accepted = new CompletableFuture<>();
  private final CompletableFuture<R> end = new CompletableFuture<>();
  private final Cancellation cancellation = new Cancellation();
  private final RunSlots slots;
  private final CompletableFuture<Void> go = new CompletableFuture<>();
  private volatile CompletableFuture<Void> slot;

  ServerRun(String id, RunKind<R> kind, RunSlots slots, Metrics metrics) {
    this(id, kind, slots, metrics, false);
  }

  private ServerRun(String id, RunKind<R> kind, RunSlots slots, Metrics metrics, boolean held) {
    if (!held) {
      go.complete(null);
    }
    this.id = Objects.requireNonNull(id, "id");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Takes a place in the run slots: its turn comes when a slot is free.
   *
   * @throws ApiProblem 429 when there is no place, 503 when the server is shutting down
   */
  void enqueue() {
    slot = slots.submit(this::turn);
  }

  /** A run that starts only after {@link #go}, unless it is withdrawn first. */
  static <R> ServerRun<R> held(String id, RunKind<R> kind, RunSlots slots, Metrics metrics) {
    return new ServerRun<>(id, kind, slots, metrics, true);
  }

  /** Lets a {@link #held} run start when its turn comes (at once if its turn came already). */
  void go() {
    go.complete(null);
  }

  /** The run's end: its terminal record. */
  CompletableFuture<R> end() {
    return end;
  }

  /** The run is in the history as {@code record}; its turn may come. */
  void accepted(R record) {
    accepted.complete(record);
  }

  /** The run could not be recorded: its turn does nothing. */
  void notAccepted(RuntimeException why) {
    accepted.completeExceptionally(why);
  }

  /** Its turn in a slot: starts the run unless it was refused or withdrawn. */
  Void turn() {
    R first;
    try {
      first = accepted.join();
    } catch (CompletionException notRecorded) {
      end.completeExceptionally(notRecorded.getCause());
      return null;
    }
    if (kind.status(first) != Status.RUNNING) {
      ended(first);
      return null;
    }
    go.join();
    if (!state.compareAndSet(State.QUEUED, State.STARTED)) {
      return null;
    }
    try {
      ended(kind.run(id, cancellation));
    } catch (RuntimeException | Error e) {
      end.completeExceptionally(e);
      throw e;
    }
    return null;
  }

  /**
   * Asks the run to stop: a queued run is closed CANCELLED at once and never starts; a started one
   * gets its script stopped (see {@link Cancellation}).
   */
  void cancel(CancelRequest request) {
    cancellation.request(request);
    if (state.compareAndSet(State.QUEUED, State.WITHDRAWN)) {
      CompletableFuture<Void> place = slot;
      if (place != null) {
        slots.withdraw(place);
      }
      try {
        ended(kind.withdraw(id, request).or(() -> kind.find(id)).orElseThrow());
      } catch (RuntimeException e) {
        end.completeExceptionally(e);
      }
    }
    // A held turn waiting for its go ends now: it finds the run withdrawn (or started already).
    go.complete(null);
  }

  private void ended(R record) {
    metrics.ended(kind.status(record), kind.duration(record));
    end.complete(record);
  }
}
