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
 * {@link #ended()} completes once the stream is closed and flushed, or the client is gone.
 */
final class EventStream implements WriteListener, AsyncListener {
  private final ServletOutputStream out;
  private final Executor completer;
  private final Deque<byte[]> pending = new ArrayDeque<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private boolean unflushed;
  private boolean closing;
  private boolean over;

  private EventStream(ServletOutputStream out, Executor completer) {
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
    EventStream stream = new EventStream(ctx.res().getOutputStream(), completer);
    async.addListener(stream);
    stream.out.setWriteListener(stream);
    return stream;
  }

  /** Completes once the stream is over, whether closed or broken; never exceptionally. */
  CompletableFuture<Void> ended() {
    return ended;
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
            end();
          }
          return;
        }
      }
    } catch (IOException | IllegalStateException clientGone) {
      end();
    }
  }

  private void end() {
    if (!over) {
      over = true;
      pending.clear();
      completer.execute(() -> ended.complete(null));
    }
  }

  @Override
  public synchronized void onWritePossible() {
    pump();
  }

  @Override
  public synchronized void onError(Throwable failure) {
    end();
  }

  @Override
  public synchronized void onComplete(AsyncEvent event) {
    end();
  }

  @Override
  public synchronized void onTimeout(AsyncEvent event) {
    end();
  }

  @Override
  public synchronized void onError(AsyncEvent event) {
    end();
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    // the stream is opened on an asynchronous request; nothing to do
  }
}
