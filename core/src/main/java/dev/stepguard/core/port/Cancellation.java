package dev.stepguard.core.port;

import dev.stepguard.core.model.CancelRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request to stop, shared between whoever asks (a signal handler, an HTTP request) and the runs
 * that watch it. The first request is kept and asks for a stop with the grace period; any later one
 * asks to stop at once. Thread-safe; a request is never taken back.
 */
public final class Cancellation {
  private final AtomicReference<CancelRequest> request = new AtomicReference<>();
  private volatile boolean urgent;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Asks to stop; a second request makes the stop urgent. Listeners hear of both. */
  public void request(CancelRequest cancel) {
    Objects.requireNonNull(cancel, "cancel");
    if (!request.compareAndSet(null, cancel)) {
      urgent = true;
    }
    listeners.forEach(Runnable::run);
  }

  /** The first request, or empty while nobody asked. */
  public Optional<CancelRequest> requested() {
    return Optional.ofNullable(request.get());
  }

  /** Whether a stop was asked for more than once: no grace period then. */
  public boolean urgent() {
    return urgent;
  }

  /**
   * Calls {@code listener} on every request from now on, on the requester's thread, until the
   * returned subscription is closed. The listener must be quick and must not throw.
   */
  public Subscription onRequest(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Stops a listener from hearing of further requests. */
  @FunctionalInterface
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
