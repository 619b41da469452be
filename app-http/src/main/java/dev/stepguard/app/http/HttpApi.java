package dev.stepguard.app.http;

import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.HistoryUnavailableException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Javalin application: every route of CONTRACT §5, bearer authentication on {@code /api/},
 * bodies capped and read without holding a thread, bounded request threads that no request holds
 * while it waits, problem documents for every error (Javalin's own 404 and 405 and Jetty's own
 * answers to requests it cannot parse included) and one access-log line per request; beside it, the
 * audit web pages ({@link WebPages}), which a session cookie opens and the API never does.
 */
final class HttpApi {
  /** The most connections open at once (a process gets a few thousand file descriptors). */
  static final int MAX_CONNECTIONS = 1000;

  /** How long a connection may stay idle once the server is at {@link #MAX_CONNECTIONS}. */
  static final long IDLE_AT_THE_LIMIT_MS = 5_000;

  /**
   * How long a connection may stay idle while the server reads a request or waits for the next one:
   * a client that sends headers and then nothing is cut off after this.
   */
  static final long READING_IDLE_MS = 10_000;

  /** How long a request body may take to arrive in full, however it trickles. */
  static final Duration BODY_DEADLINE = Duration.ofSeconds(20);

  /** How long a web session lasts unused, and at most. */
  static final Duration SESSION_IDLE = Duration.ofMinutes(30);

  static final Duration SESSION_LIFETIME = Duration.ofHours(12);

  /** Set once a handler answered with its own problem, so that the 404 handler keeps it. */
  static final String PROBLEM_WRITTEN = "stepguard.problem";

  private static final Logger ACCESS = LoggerFactory.getLogger("stepguard.http.access");
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

  /** A route as registered: method and path, for the OpenAPI check. */
  record Route(String method, String path) {}

  private final ProjectRuntime runtime;
  private final BearerAuth auth;
  private final WebAccess web;
  private final RunSlots slots;
  private final LiveRuns live;
  private final RequestBodies bodies;
  private final Metrics metrics;
  private final Map<String, String> hostEnvironment;
  private final Clock clock;
  private final List<Route> routes = Collections.synchronizedList(new ArrayList<>());
  private final ScheduledExecutorService timers;
  private final ConnectionTimeouts timeouts;
  private final AtomicBoolean draining = new AtomicBoolean();

  HttpApi(
      ProjectRuntime runtime,
      Authenticator authenticator,
      RunSlots slots,
      LiveRuns live,
      Map<String, String> hostEnvironment,
      Clock clock) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.auth = new BearerAuth(authenticator);
    this.slots = Objects.requireNonNull(slots, "slots");
    this.live = Objects.requireNonNull(live, "live");
    this.hostEnvironment = Map.copyOf(hostEnvironment);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timers = Executors.newScheduledThreadPool(2, HttpApi::timerThread);
    this.timeouts = new ConnectionTimeouts(READING_IDLE_MS, longestRun().toMillis());
    long inputBytes = runtime.settings().baseLimits().inputBytes();
    this.bodies =
        new RequestBodies(
            inputBytes + 64 * 1024,
            runtime.settings().baseLimits().jsonDepth(),
            BODY_DEADLINE,
            timers);
    this.metrics = new Metrics(slots);
    this.web =
        new WebAccess(
            new Sessions(authenticator, clock, SESSION_IDLE, SESSION_LIFETIME),
            new RequestBodies(WebAccess.MAX_FORM_BYTES, 1, BODY_DEADLINE, timers));
  }

  private static Thread timerThread(Runnable task) {
    Thread thread = new Thread(task, "stepguard-http-timer");
    thread.setDaemon(true);
    return thread;
  }

  /** The longest a run may take: its timeout, its grace, and a minute for recording it. */
  private Duration longestRun() {
    return runtime.settings().maxTimeout().plus(runtime.settings().grace()).plusSeconds(60);
  }

  /** What the server counts of its runs, handed-off ones included. */
  Metrics metrics() {
    return metrics;
  }

  /** From now on /healthz says "draining" (503), so that load balancers stop sending. */
  void draining() {
    draining.set(true);
  }

  /** The routes registered, sorted, once the application was created. */
  List<Route> routes() {
    synchronized (routes) {
      return routes.stream()
          .sorted(Comparator.comparing(Route::path).thenComparing(Route::method))
          .toList();
    }
  }

  Javalin create(String host, int port, int requestThreads) {
    // At most requestThreads threads, never virtual ones. No request holds one while its body
    // arrives, its run goes on or its events are followed, so the threads turn over in
    // milliseconds, and the jobs waiting for one are bounded by the connections (MAX_CONNECTIONS,
    // one job each at a time). Jetty's queue itself stays unbounded, as Jetty asks: a bounded one
    // refuses Jetty's own I/O jobs too, closing connections mid-answer and logging each refusal.
    QueuedThreadPool threads = new QueuedThreadPool(requestThreads, 4, 60_000);
    threads.setName("stepguard-http");
    RunStarter starter = new RunStarter(runtime, slots, live, metrics, clock, threads);
    ExecutionRoutes executions = new ExecutionRoutes(runtime, starter, bodies, clock);
    WorkflowRoutes workflows = new WorkflowRoutes(runtime, starter, bodies, hostEnvironment);
    EventRoutes events =
        new EventRoutes(
            executions::record,
            id -> EventRoutes.find(runtime.history(), id),
            live,
            clock,
            timeouts,
            timers);
    return Javalin.create(
        config -> {
          configure(config, host, port, threads, longestRun().toMillis());
          config.events.handlerAdded(
              added -> routes.add(new Route(added.getHttpMethod().name(), added.getPath())));
          config.events.serverStopped(timers::shutdownNow);
          config.routes.get("/healthz", this::healthz);
          config.routes.before("/api/*", this::guard);
          config.routes.after(timeouts::reading);
          config.routes.post(ExecutionRoutes.BASE, executions::start);
          config.routes.get(ExecutionRoutes.BASE, executions::list);
          config.routes.get(ExecutionRoutes.BASE + "/{id}", executions::show);
          config.routes.post(ExecutionRoutes.BASE + "/{id}/cancel", executions::cancel);
          config.routes.get(ExecutionRoutes.BASE + "/{id}/events", events::stream);
          config.routes.post(WorkflowRoutes.BASE, workflows::start);
          config.routes.get(WorkflowRoutes.BASE, workflows::list);
          config.routes.get(WorkflowRoutes.BASE + "/{id}", workflows::show);
          config.routes.post(WorkflowRoutes.BASE + "/{id}/cancel", workflows::cancel);
          config.routes.get("/api/v1/health", this::health);
          config.routes.get("/api/v1/metrics", ctx -> metrics(ctx));
          config.routes.get("/api/v1/openapi.json", ctx -> Json.write(ctx, openApi()));
          new WebPages(runtime::history, executions::record, live, web, clock).register(config);
          errors(config);
        });
  }

  private void configure(
      JavalinConfig config, String host, int port, QueuedThreadPool threads, long longestRunMs) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.concurrency.useVirtualThreads = false;
    config.jetty.threadPool = threads;
    config.jetty.host = host;
    config.jetty.port = port;
    config.jetty.modifyServer(
        server -> {
          // Connections are capped well below the file descriptors a process gets: at the cap
          // Jetty stops accepting and gives the connections it has a short idle timeout, so a
          // flood of idle connections cannot take every descriptor of the server.
          NetworkConnectionLimit limit = new NetworkConnectionLimit(MAX_CONNECTIONS, server);
          limit.setEndPointIdleTimeout(IDLE_AT_THE_LIMIT_MS);
          server.addBean(limit);
          server.setErrorHandler(new ProblemErrorHandler());
          server.addEventListener(
              new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                @Override
                public void lifeCycleStarted(org.eclipse.jetty.util.component.LifeCycle e) {
                  for (var connector : server.getConnectors()) {
                    if (connector instanceof org.eclipse.jetty.server.ServerConnector c) {
                      // Short while reading; a request waiting for its run extends its own.
                      c.setIdleTimeout(READING_IDLE_MS);
                      c.addBean(new HeaderDeadline(timers, READING_IDLE_MS));
                    }
                  }
                }
              });
        });
    config.jetty.modifyServletContextHandler(
        context -> context.setErrorHandler(new ProblemErrorHandler()));
    config.http.maxRequestSize = bodies.maxBytes();
    config.http.asyncTimeout = longestRunMs;
    config.http.prefer405over404 = true;
    config.http.compressionStrategy = CompressionStrategy.NONE;
    config.requestLogger.http(HttpApi::logAccess);
  }

  /**
   * The access line of a request, written once its answer is sent. A request answered just as the
   * server stops may have been recycled by Jetty by then: its line is lost, said once at debug
   * level, rather than an internal error in the log.
   */
  private static void logAccess(io.javalin.http.Context ctx, Float ms) {
    try {
      ACCESS.info(
          "{} {} {} {}ms {}",
          ctx.method().name(),
          ctx.path(),
          ctx.statusCode(),
          Math.round(ms),
          WebAccess.viewer(ctx) == null ? BearerAuth.label(ctx) : WebAccess.viewer(ctx));
    } catch (RuntimeException recycled) {
      LOG.debug(
          "the access line of a request answered while stopping is lost: {}", recycled.toString());
    }
  }

  private void guard(io.javalin.http.Context ctx) {
    auth.check(ctx);
    checkQueryEncoding(ctx.queryString());
    if (ctx.method() == HandlerType.POST) {
      bodies.checkDeclaredLength(ctx);
      // Read the body as it comes, holding no thread; then the request may wait for its run.
      ctx.future(() -> bodies.readAhead(ctx).thenRun(() -> timeouts.waiting(ctx)));
    }
  }

  /**
   * Refuses a query string with a broken percent-escape: Javalin would drop the parameter and the
   * filter it names would be ignored without a word.
   */
  static void checkQueryEncoding(String query) {
    if (query == null) {
      return;
    }
    try {
      java.net.URLDecoder.decode(query, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiProblem(
          ProblemType.MALFORMED_REQUEST,
          "the query string has a broken percent-escape (a '%' not followed by two hex digits)");
    }
  }

  private void healthz(io.javalin.http.Context ctx) {
    ctx.contentType("text/plain");
    if (draining.get()) {
      ctx.status(503).header("Retry-After", "30").result("draining");
    } else {
      ctx.result("ok");
    }
  }

  private void errors(JavalinConfig config) {
    config.routes.exception(ApiProblem.class, (problem, ctx) -> problem(ctx, problem));
    config.routes.exception(
        CompletionException.class, (e, ctx) -> problem(ctx, translate(e.getCause())));
    config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, translate(e)));
    config.routes.exception(Exception.class, (e, ctx) -> problem(ctx, translate(e)));
    config.routes.error(
        404,
        ctx -> {
          // A handler's own 404 (no such run) keeps its words; only a path no route takes gets
          // these.
          if (ctx.attribute(PROBLEM_WRITTEN) == null) {
            problem(ctx, new ApiProblem(ProblemType.NOT_FOUND, "no route " + ctx.path()));
          }
        });
  }

  private static ApiProblem translate(Throwable e) {
    if (e instanceof ApiProblem problem) {
      return problem;
    }
    if (e instanceof HistoryUnavailableException) {
      return new ApiProblem(ProblemType.HISTORY_UNAVAILABLE, e.getMessage());
    }
    if (e instanceof HttpResponseException http) {
      return switch (http.getStatus()) {
        case 404 -> new ApiProblem(ProblemType.NOT_FOUND, "no such route");
        case 405 ->
            new ApiProblem(ProblemType.METHOD_NOT_ALLOWED, "this route takes another method");
        case 413 -> new ApiProblem(ProblemType.BODY_TOO_LARGE, "the body is too large");
        case 400 -> new ApiProblem(ProblemType.MALFORMED_REQUEST, "the request is malformed");
        default -> new ApiProblem(ProblemType.INTERNAL, "the request could not be handled");
      };
    }
    LOG.error("internal error", e);
    return new ApiProblem(ProblemType.INTERNAL, "internal error; the server log has the detail");
  }

  private static void problem(io.javalin.http.Context ctx, ApiProblem problem) {
    ctx.attribute(PROBLEM_WRITTEN, Boolean.TRUE);
    problem.headers().forEach(ctx::header);
    Json.problem(ctx, problem.type().status(), problem.body(ctx.path()));
  }

  private void health(io.javalin.http.Context ctx) {
    BearerAuth.caller(ctx);
    List<HealthReport> reports =
        runtime.checks().stream()
            .map(check -> check.check())
            .sorted(Comparator.comparing(HealthReport::component))
            .toList();
    boolean ok = reports.stream().allMatch(HealthReport::ok);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", ok ? "ok" : "degraded");
    body.put("checks", reports);
    body.put(
        "slots",
        Map.of(
            "capacity",
            slots.capacity(),
            "running",
            slots.running(),
            "queued",
            slots.queued(),
            "queueCapacity",
            slots.queueCapacity()));
    // 200 either way: a sandbox that this host lacks is worth reporting, not a failed probe
    // (/healthz is the liveness probe); "status" says whether everything works.
    Json.write(ctx, body);
  }

  private void metrics(io.javalin.http.Context ctx) {
    BearerAuth.caller(ctx);
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
  }

  /** The hand-written OpenAPI document, a resource of this module. */
  static Object openApi() throws IOException {
    try (InputStream in = HttpApi.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IOException("openapi.json is missing from the server's jar");
      }
      return dev.stepguard.core.model.Json.reader()
          .readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
