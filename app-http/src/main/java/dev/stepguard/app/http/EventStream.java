package dev.stepguard.app.http;

import io.javalin.http.Context;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One text/event-stream written without blocking: events are queued and written only as fast as the
 * client takes them (servlet non-blocking output), so a client that stops reading holds no thread.
 * {@link #ended()} says how it ended: closed and flushed (the request is still to be completed), or
 * broken because the client went away (the request is completed already, and must not be touched
 * again).
 */
final class EventStream implements WriteListener, AsyncListener {
  private final AsyncContext async;
  private final ServletOutputStream out;
  private final Executor completer;
  private final Deque<byte[]> pending = new ArrayDeque<>();
  private final CompletableFuture<Boolean> ended = new CompletableFuture<>();
  private boolean unflushed;
  private boolean closing;
  private boolean over;
  private boolean containerDone;

  private EventStream(AsyncContext async, ServletOutputStream out, Executor completer) {
    this.async = async;
    this.out = out;
    this.completer = completer;
  }

  /**
   * Opens the stream of an asynchronous request whose status and headers are set; {@code completer}
   * completes {@link #ended()} (never the thread of a write).
   */
  static EventStream open(Context ctx, long asyncTimeoutMs, Executor completer) throws IOException {
    AsyncContext async = ctx.req().getAsyncContext();
    async.setTimeout(asyncTimeoutMs);
    EventStream stream = new EventStream(async, ctx.res().getOutputStream(), completer);
    async.addListener(stream);
    stream.out.setWriteListener(stream);
    return stream;
  }

  /**
   * Completes once the stream is over: true when it was closed and all written, false when the
   * client went away (the request is completed then); never exceptionally.
   */
  CompletableFuture<Boolean> ended() {
    return ended;
  }

  /**
   * Whether the container still has the request: false once it completed, failed or timed it out (a
   * client that closed right after the last event), when it must not be touched again.
   */
  synchronized boolean stillOpen() {
    return !containerDone;
  }

  synchronized boolean isOver() {
    return over;
  }

  /** Queues {@code event: NAME} with one line of data. */
  synchronized void send(String event, String data) {
    queue("event: " + event + "\ndata: " + data + "\n\n");
  }

  /** Queues a comment that keeps proxies and the connection from taking the stream as idle. */
  synchronized void keepAlive() {
    if (pending.isEmpty()) {
      queue(": keep-alive\n\n");
    }
  }

  /** Ends the stream once everything queued is written. */
  synchronized void close() {
    closing = true;
    pump();
  }

  private void queue(String text) {
    if (over || closing) {
      return;
    }
    pending.add(text.getBytes(StandardCharsets.UTF_8));
    pump();
  }

  private void pump() {
    try {
      while (!over && out.isReady()) {
        byte[] next = pending.poll();
        if (next != null) {
          out.write(next);
          unflushed = true;
        } else if (unflushed) {
          unflushed = false;
          out.flush();
        } else {
          if (closing) {
            end(true);
          }
          return;
        }
      }
    } catch (IOException | IllegalStateException clientGone) {
      broken(true);
    }
  }

  private void end(boolean clean) {
    if (!over) {
      over = true;
      pending.clear();
      try {
        completer.execute(() -> ended.complete(clean));
      } catch (java.util.concurrent.RejectedExecutionException stopping) {
        ended.complete(clean);
      }
    }
  }

  /** The client went away; complete the request unless the container did already. */
  private void broken(boolean complete) {
    if (over) {
      return;
    }
    end(false);
    if (complete) {
      try {
        async.complete();
      } catch (IllegalStateException completedAlready) {
        // nothing more to do
      }
    }
  }

  @Override
  public synchronized void onWritePossible() {
    pump();
  }

  @Override
  public synchronized void onError(Throwable failure) {
    containerDone = true;
    broken(true);
  }

  @Override
  public synchronized void onComplete(AsyncEvent event) {
    containerDone = true;
    broken(false);
  }

  @Override
  public synchronized void onTimeout(AsyncEvent event) {
    containerDone = true;
    broken(true);
  }

  @Override
  public synchronized void onError(AsyncEvent event) {
    containerDone = true;
    broken(true);
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // the stream is opened on an asynchronous request; nothing to do
  }
}
