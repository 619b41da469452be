package dev.stepguard.app.http;

import dev.stepguard.composition.HandOffServer;
import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.core.model.CancelRequest;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started server: its port, and the way to stop it gracefully. Stopping makes /healthz answer 503
 * "draining" so that load balancers stop sending, takes no new run, lets the runs in progress
 * finish for up to the drain period, cancels the rest as CANCELLED by SIGTERM, then stops answering
 * and closes the history. The command line's hand-off socket closes first: the command line then
 * runs alone.
 */
public final class RunningServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);

  private final Javalin app;
  private final HttpApi api;
  private final RunSlots slots;
  private final LiveRuns live;
  private final RuntimeFactory runtimes;
  private final Optional<HandOffServer> handOff;
  private final Duration drain;
  private final Duration grace;
  private final AtomicBoolean stopped = new AtomicBoolean();

  RunningServer(
      Javalin app,
      HttpApi api,
      RunSlots slots,
      LiveRuns live,
      RuntimeFactory runtimes,
      Optional<HandOffServer> handOff,
      Duration drain,
      Duration grace) {
    this.app = Objects.requireNonNull(app, "app");
    this.api = Objects.requireNonNull(api, "api");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.live = Objects.requireNonNull(live, "live");
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
    this.handOff = Objects.requireNonNull(handOff, "handOff");
    this.drain = Objects.requireNonNull(drain, "drain");
    this.grace = Objects.requireNonNull(grace, "grace");
  }

  /** The port the server listens on. */
  public int port() {
    return app.port();
  }

  /** The routes the server answers, as {@code METHOD path}, for checking the OpenAPI document. */
  List<HttpApi.Route> routes() {
    return api.routes();
  }

  /** Stops gracefully (see the class comment); a second call does nothing. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    api.draining();
    // The command line runs alone from now on; the runs already handed off drain like the others.
    handOff.ifPresent(HandOffServer::close);
    slots.close();
    try {
      if (!slots.awaitEnd(drain)) {
        LOG.warn("{} runs still going after {}; cancelling them", live.size(), drain);
        live.cancelAll(
            CancelRequest.toServer("SIGTERM", System.getProperty("user.name", "unknown")));
        if (!slots.awaitEnd(grace.plus(Duration.ofSeconds(10)))) {
          LOG.error("runs did not end after being cancelled; the next start closes them");
        }
      }
      // Let the answers to the runs that just ended reach their clients.
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      app.stop();
      runtimes.closeAll();
      LOG.info("stepguard-server stopped");
    }
  }

  @Override
  public void close() {
    stop();
  }
}
