package dev.stepguard.app.http;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.stepguard.composition.CompositionModule;
import dev.stepguard.composition.HandOffServer;
import dev.stepguard.composition.HttpOptions;
import dev.stepguard.composition.ProjectDiscovery;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.composition.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code stepguard-server}: the HTTP API over the same composition as the command line. */
public final class ServerMain {
  private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);

  /** Hand-off connections beyond the runs the slots and the queue hold (those being declined). */
  private static final int HAND_OFF_CONNECTIONS = 8;

  private ServerMain() {}

  public static void main(String[] args) {
    ServerOptions options;
    try {
      options = ServerOptions.parse(args);
    } catch (ServerOptions.HelpAsked e) {
      System.out.println(
          ServerOptions.USAGE
              + "\nServes the project's runs and history over HTTP (docs/http-api.md); the flags"
              + " override the operator config's http section (docs/configuration.md).");
      System.exit(0);
      return;
    } catch (IllegalArgumentException e) {
      System.err.println("stepguard-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    RunningServer server;
    try {
      server =
          start(
              options,
              RuntimeModuleFactory.production(),
              System.getenv(),
              Path.of(System.getProperty("user.dir", "")),
              ProductionTokens::authenticator);
    } catch (RuntimeException e) {
      System.err.println("stepguard-server: " + e.getMessage());
      LOG.debug("start failed", e);
      System.exit(1);
      return;
    }
    Termination.trap(server);
  }

  /**
   * Starts a server for the command line {@code args}, standing in {@code workingDirectory}, with
   * the given adapters and authenticator.
   *
   * @throws IllegalArgumentException for a bad command line
   */
  public static RunningServer start(
      String[] args,
      RuntimeModuleFactory adapters,
      Map<String, String> env,
      Path workingDirectory,
      Function<ProjectRuntime, Authenticator> authenticators) {
    return start(ServerOptions.parse(args), adapters, env, workingDirectory, authenticators);
  }

  static RunningServer start(
      ServerOptions options,
      RuntimeModuleFactory adapters,
      Map<String, String> env,
      Path workingDirectory,
      Function<ProjectRuntime, Authenticator> authenticators) {
    Injector injector = Guice.createInjector(new CompositionModule(adapters, env));
    RuntimeFactory runtimes = injector.getInstance(RuntimeFactory.class);
    try {
      Path root =
          options
              .project()
              .map(p -> workingDirectory.resolve(p).normalize())
              .orElseGet(() -> ProjectDiscovery.find(workingDirectory));
      Settings settings = runtimes.settings(root, notice -> LOG.warn("{}", notice)).forServer();
      HttpOptions http = options.over(settings.http());
      ProjectRuntime runtime = runtimes.open(root, settings);
      // Close what a killed stepguard left RUNNING before taking any request, and fail now if the
      // history or the launcher cannot be had.
      runtime.executor();
      Authenticator authenticator = authenticators.apply(runtime);
      RunSlots slots = new RunSlots(http.slots(), http.queue());
      LiveRuns live = new LiveRuns();
      HttpApi api = new HttpApi(runtime, authenticator, slots, live, env, Clock.systemUTC());
      int requestThreads = Math.max(32, http.slots() + http.queue() + 24);
      var app = api.create(http.bind(), http.port(), requestThreads).start();
      Optional<HandOffServer> handOff =
          HandOffServer.listen(
              root,
              new HandedRuns(runtime, runtimes, env, slots, live, api.metrics()),
              settings.baseLimits().inputBytes(),
              http.slots() + http.queue() + HAND_OFF_CONNECTIONS);
      if (!loopback(http.bind())) {
        LOG.warn(
            "listening on {}, not on loopback: put a reverse proxy with TLS in front of it, since"
                + " stepguard-server speaks plain HTTP and bearer tokens would cross the network"
                + " in clear text",
            http.bind());
      }
      LOG.info(
          "stepguard-server listening on http://{}:{} for project {} ({} run slots, queue {})",
          http.bind(),
          app.port(),
          root,
          http.slots(),
          http.queue());
      return new RunningServer(
          app, api, slots, live, runtimes, handOff, http.drain(), settings.grace());
    } catch (RuntimeException e) {
      runtimes.closeAll();
      throw e;
    }
  }

  private static boolean loopback(String bind) {
    try {
      return InetAddress.getByName(bind).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
