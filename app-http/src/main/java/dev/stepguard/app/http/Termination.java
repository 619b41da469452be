package dev.stepguard.app.http;

import dev.stepguard.composition.SignalTrap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What SIGTERM and SIGINT do to the server: the first stops it gracefully (see {@link
 * RunningServer#stop()}) and then exits 128 + the signal's number; a second one exits at once. The
 * signals are trapped rather than left to shutdown hooks, which the JVM runs all at once: the hook
 * that ends every child process would otherwise kill the runs the server is letting finish.
 */
final class Termination {
  private static final Logger LOG = LoggerFactory.getLogger(Termination.class);
  private static final Map<String, Integer> SIGNALS = Map.of("TERM", 15, "INT", 2);

  private final RunningServer server;
  private final AtomicInteger received = new AtomicInteger();

  private Termination(RunningServer server) {
    this.server = server;
  }

  /** Traps SIGTERM and SIGINT for {@code server} from now on. */
  static void trap(RunningServer server) {
    Termination termination = new Termination(server);
    SIGNALS.forEach(termination::trap);
  }

  private void deliver(String name, int number) {
    if (received.incrementAndGet() > 1) {
      LOG.warn(
          "SIG{} again: exiting now; runs still going are closed ABANDONED on next start", name);
      Runtime.getRuntime().halt(128 + number);
    }
    Thread stopping =
        new Thread(
            () -> {
              LOG.info("SIG{}: taking no new run, letting the runs in progress finish", name);
              server.stop();
              Runtime.getRuntime().exit(128 + number);
            },
            "stepguard-stop");
    // Signal handlers run on a daemon thread; this one must keep the JVM up until it exits.
    stopping.setDaemon(false);
    stopping.start();
  }

  private void trap(String name, int number) {
    try {
      SignalTrap.trap(name, () -> deliver(name, number));
    } catch (IllegalStateException e) {
      LOG.warn("{}; it will stop the server without draining", e.getMessage());
    }
  }
}
