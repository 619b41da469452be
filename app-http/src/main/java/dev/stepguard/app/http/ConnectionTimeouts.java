package dev.stepguard.app.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * The idle timeout of the connection a request came on. It is short while the server reads a
 * request (headers, body) or waits for the next one, so that a client that sends nothing holds
 * nothing for long; it is extended only for a request that waits for its run or follows its events,
 * and made short again before the answer is written.
 */
record ConnectionTimeouts(long readingMs, long waitingMs) {
  ConnectionTimeouts {
    if (readingMs <= 0 || waitingMs < readingMs) {
      throw new IllegalArgumentException(
          "timeouts must be positive, waiting at least reading: " + readingMs + ", " + waitingMs);
    }
  }

  /** The request has been read and now waits (for its run, or as an event stream). */
  void waiting(Context ctx, long ms) {
    endPoint(ctx).setIdleTimeout(ms);
  }

  /** The request has been read and now waits for its run. */
  void waiting(Context ctx) {
    waiting(ctx, waitingMs);
  }

  /** The wait is over: the answer is written and the next request read under the short timeout. */
  void reading(Context ctx) {
    endPoint(ctx).setIdleTimeout(readingMs);
  }

  private static EndPoint endPoint(Context ctx) {
    return ServletContextRequest.getServletContextRequest(ctx.req())
        .getConnectionMetaData()
        .getConnection()
        .getEndPoint();
  }
}
