package dev.stepguard.app.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A fixed number of run slots and a bounded queue in front of them. A run that finds both full is
 * refused at once (429 with the queue depth), never left waiting without bound. Runs belong to the
 * server, not to the request that started them: a client that goes away does not stop its run.
 */
final class RunSlots {
  private final int slots;
  private final int queueCapacity;
  private final ThreadPoolExecutor executor;
  private final AtomicInteger inFlight = new AtomicInteger();

  RunSlots(int slots, int queueCapacity) {
    if (slots < 1) {
      throw new IllegalArgumentException("at least one run slot is needed, was " + slots);
    }
    if (queueCapacity < 0) {
      throw new IllegalArgumentException("the queue cannot be negative, was " + queueCapacity);
    }
    this.slots = slots;
    this.queueCapacity = queueCapacity;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            slots,
            slots,
            0,
            TimeUnit.MILLISECONDS,
            // ArrayBlockingQueue needs a capacity of at least one; an empty queue is refused below.
            new ArrayBlockingQueue<>(Math.max(1, queueCapacity)),
            task -> {
              Thread thread = new Thread(task, "stepguard-run-" + threads.incrementAndGet());
              thread.setDaemon(false);
              return thread;
            },
            new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Runs {@code work} in a slot as soon as one is free.
   *
   * @throws ApiProblem 429 when every slot is busy and the queue is full, 503 when shutting down
   */
  <T> CompletableFuture<T> submit(Supplier<T> work) {
    if (executor.isShutdown()) {
      throw new ApiProblem(
          ProblemType.SHUTTING_DOWN, "the server is shutting down and starts no new runs");
    }
    synchronized (this) {
      if (queueCapacity == 0 && inFlight.get() >= slots) {
        throw queueFull();
      }
      CompletableFuture<T> result = new CompletableFuture<>();
      try {
        inFlight.incrementAndGet();
        executor.execute(
            new Queued(
                result,
                () -> {
                  try {
                    result.complete(work.get());
                  } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                  } finally {
                    inFlight.decrementAndGet();
                  }
                }));
      } catch (RejectedExecutionException e) {
        inFlight.decrementAndGet();
        throw executor.isShutdown()
            ? new ApiProblem(
                ProblemType.SHUTTING_DOWN, "the server is shutting down and starts no new runs")
            : queueFull();
      }
      return result;
    }
  }

  /**
   * Takes the work whose result is {@code result} out of the queue if it has not got a slot yet, so
   * that a withdrawn run frees its place at once; false when it already has one (or ended).
   */
  boolean withdraw(CompletableFuture<?> result) {
    boolean removed =
        executor
            .getQueue()
            .removeIf(task -> task instanceof Queued queued && queued.result == result);
    if (removed) {
      inFlight.decrementAndGet();
      result.cancel(false);
    }
    return removed;
  }

  /** Work waiting in the queue, known by its result. */
  private record Queued(CompletableFuture<?> result, Runnable body) implements Runnable {
    @Override
    public void run() {
      body.run();
    }
  }

  private ApiProblem queueFull() {
    int depth = queued();
    return new ApiProblem(
        ProblemType.QUEUE_FULL,
        "all "
            + slots
            + " run slots are busy and "
            + depth
            + " runs are waiting; try again shortly",
        Map.of("queueDepth", depth, "queueCapacity", queueCapacity, "slots", slots),
        Map.of("Retry-After", RetryAfter.seconds(depth, slots)));
  }

  /** How many runs go on at once. */
  int capacity() {
    return slots;
  }

  /** How many runs may wait for a slot. */
  int queueCapacity() {
    return queueCapacity;
  }

  /** Runs waiting for a slot. */
  int queued() {
    return executor.getQueue().size();
  }

  /** Runs in a slot or waiting for one. */
  int inFlight() {
    return inFlight.get();
  }

  /** Runs in a slot now. */
  int running() {
    return executor.getActiveCount();
  }

  /** Takes no further run; those queued and running go on. */
  void close() {
    executor.shutdown();
  }

  /** Waits up to {@code bound} for every run to end; true if they all did. */
  boolean awaitEnd(Duration bound) throws InterruptedException {
    return executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS);
  }
}
