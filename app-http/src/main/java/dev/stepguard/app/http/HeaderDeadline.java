package dev.stepguard.app.http;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes a connection whose request headers are still coming after a whole period: the idle timeout
 * cuts off a client that sends nothing, but not one that trickles its headers a byte at a time
 * (slowloris), which would hold its connection for hours and, a thousand of them, every connection
 * the server takes. Checked once a period on each connection: headers in progress at two checks in
 * a row for the same request mean they took longer than a period.
 */
final class HeaderDeadline implements Connection.Listener {
  private final ScheduledExecutorService timers;
  private final long periodMs;

  HeaderDeadline(ScheduledExecutorService timers, long periodMs) {
    this.timers = timers;
    this.periodMs = periodMs;
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection instanceof HttpConnection http) {
      schedule(http, -1);
    }
  }

  private void schedule(HttpConnection http, long requestSeenMidHeaders) {
    try {
      timers.schedule(() -> check(http, requestSeenMidHeaders), periodMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // the server is stopping; its connections close with it
    }
  }

  private void check(HttpConnection http, long requestSeenMidHeaders) {
    if (!http.getEndPoint().isOpen()) {
      return;
    }
    HttpParser parser = http.getParser();
    boolean midHeaders = !parser.isStart() && parser.inHeaderState();
    long request = http.getMessagesIn();
    if (midHeaders && request == requestSeenMidHeaders) {
      http.getEndPoint().close();
      return;
    }
    schedule(http, midHeaders ? request : -1);
  }
}
