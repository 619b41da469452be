package dev.stepguard.app.http;

import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionSummary;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.port.HistoryUnavailableException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The audit web pages, over the same use cases as the API: the run history with its chart, a run's
 * page (with Cancel for a {@code run} token while the run is live here), a workflow run's page.
 * Every page needs a session (without one it shows the login form and no data), and every POST the
 * session's CSRF token and a same-origin request.
 */
final class WebPages {
  static final int PAGE_SIZE = 25;
  private static final String FILTERS = "status,script,workflowRun,since,until,limit";

  private final Supplier<HistoryQueries> history;
  private final Function<String, ExecutionRecord> records;
  private final LiveRuns live;
  private final WebAccess access;
  private final Clock clock;

  WebPages(
      Supplier<HistoryQueries> history,
      Function<String, ExecutionRecord> records,
      LiveRuns live,
      WebAccess access,
      Clock clock) {
    this.history = Objects.requireNonNull(history, "history");
    this.records = Objects.requireNonNull(records, "records");
    this.live = Objects.requireNonNull(live, "live");
    this.access = Objects.requireNonNull(access, "access");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Registers the pages, their form POSTs and their two assets. */
  void register(JavalinConfig config) {
    // Every answer outside the API carries the pages' headers, those no route of the pages makes
    // included (404, 405, a form too large): a browser may be shown any of them.
    config.routes.before(
        ctx -> {
          if (!ctx.path().startsWith("/api/") && !"/healthz".equals(ctx.path())) {
            WebAccess.headers(ctx);
          }
        });
    for (String post :
        List.of("/login", "/logout", "/runs/{id}/cancel", "/workflow-runs/{id}/cancel")) {
      config.routes.before(post, access::readForm);
    }
    config.routes.get("/", ctx -> page(ctx, this::history));
    config.routes.post("/login", access::login);
    config.routes.post("/logout", access::logout);
    config.routes.get("/runs/{id}", ctx -> page(ctx, this::run));
    config.routes.post("/runs/{id}/cancel", ctx -> page(ctx, this::cancel));
    config.routes.get("/workflow-runs/{id}", ctx -> page(ctx, this::workflow));
    config.routes.post("/workflow-runs/{id}/cancel", ctx -> page(ctx, this::cancelWorkflow));
    config.routes.get("/assets/style.css", ctx -> WebAssets.STYLE.send(ctx));
    config.routes.get("/assets/web.js", ctx -> WebAssets.SCRIPT.send(ctx));
  }

  /** A page of a session: the login form without one, a problem page for a refusal. */
  private interface SessionPage {
    void show(Context ctx, Sessions.Session session);
  }

  private void page(Context ctx, SessionPage page) {
    WebAccess.headers(ctx);
    Optional<Sessions.Session> session = access.session(ctx);
    if (session.isEmpty()) {
      access.loginForm(ctx, "/".equals(ctx.path()) ? HttpStatus.OK : HttpStatus.UNAUTHORIZED);
      return;
    }
    try {
      page.show(ctx, session.get());
    } catch (ApiProblem problem) {
      problem(ctx, session.get(), problem);
    } catch (HistoryUnavailableException e) {
      problem(ctx, session.get(), new ApiProblem(ProblemType.HISTORY_UNAVAILABLE, e.getMessage()));
    }
  }

  private static void problem(Context ctx, Sessions.Session session, ApiProblem problem) {
    ctx.attribute(HttpApi.PROBLEM_WRITTEN, Boolean.TRUE);
    ctx.status(problem.type().status());
    WebAccess.render(
        ctx,
        "problem.jte",
        new Pages.Problem(session, problem.type().title(), problem.getMessage()));
  }

  private void history(Context ctx, Sessions.Session session) {
    // As the API: a broken escape is refused, not dropped with the filter it names; only
    // whitespace is stripped, so that a control character fails the filter's own check.
    HttpApi.checkQueryEncoding(ctx.queryString());
    Map<String, String> given = new LinkedHashMap<>();
    for (String name : FILTERS.split(",")) {
      String value = ctx.queryParam(name);
      given.put(name, value == null ? "" : value.strip());
    }
    UnaryOperator<String> filters =
        name -> given.getOrDefault(name, "").isEmpty() ? null : given.get(name);
    UnaryOperator<String> onPage =
        name -> "cursor".equals(name) ? ctx.queryParam("cursor") : filters.apply(name);
    // The chart takes the whole period the filters select: no cursor, and the largest page.
    UnaryOperator<String> period = name -> "limit".equals(name) ? null : filters.apply(name);
    HistoryQueries queries = history.get();
    HistoryPage page = queries.list(Queries.executions(onPage, PAGE_SIZE, queries, clock));
    HistoryPage counted =
        queries.list(Queries.executions(period, HistoryFilter.MAX_LIMIT, queries, clock));
    String next =
        page.next()
            .map(
                cursor -> {
                  Map<String, String> query = new LinkedHashMap<>(given);
                  query.put("cursor", cursor.encode());
                  return "/" + PageText.query(query);
                })
            .orElse(null);
    String first = ctx.queryParam("cursor") == null ? null : "/" + PageText.query(given);
    WebAccess.render(
        ctx,
        "history.jte",
        new Pages.History(
            session,
            new Pages.Filters(
                given.get("status"),
                given.get("script"),
                given.get("workflowRun"),
                given.get("since"),
                given.get("until")),
            Arrays.stream(Status.values()).map(Status::name).toList(),
            page.items().stream().map(WebPages::row).toList(),
            HistoryChart.of(counted.items(), counted.next().isPresent()),
            next,
            first));
  }

  private static Pages.Row row(ExecutionSummary run) {
    String id = run.id().value();
    String workflow = run.workflowRunId();
    return new Pages.Row(
        "/runs/" + id,
        id.substring(0, 8),
        run.status().name() + (run.queued() ? " (queued)" : ""),
        StatusWords.css(run.status()),
        run.script(),
        PageText.iso(run.startedAt()),
        PageText.utc(run.startedAt()),
        run.status() == Status.RUNNING ? "-" : PageText.duration(run.durationMs()),
        PageText.requester(run.requestedBy()),
        workflow == null ? null : "/workflow-runs/" + workflow,
        workflow == null ? null : workflow.substring(0, Math.min(8, workflow.length())));
  }

  private void run(Context ctx, Sessions.Session session) {
    if (history.get().show(ctx.pathParam("id"))
        instanceof HistoryQueries.Lookup.FoundWorkflowRun workflowRun) {
      ctx.redirect("/workflow-runs/" + workflowRun.run().id(), HttpStatus.SEE_OTHER);
      return;
    }
    ExecutionRecord record = records.apply(ctx.pathParam("id"));
    WebAccess.render(ctx, "run.jte", RunPage.of(record, session, cancellable(record)));
  }

  /** Whether this server can stop {@code record} now: it is live here, itself or its workflow. */
  private boolean cancellable(ExecutionRecord record) {
    return record.status() == Status.RUNNING
        && (live.find(record.id().value()).isPresent()
            || (record.workflowRunId() != null && live.find(record.workflowRunId()).isPresent()));
  }

  /** {@code POST /runs/{id}/cancel}: a run token's session stops a run, then sees its page. */
  private void cancel(Context ctx, Sessions.Session session) {
    CancelRequest request = cancelRequest(ctx, session);
    ExecutionRecord record = records.apply(ctx.pathParam("id"));
    String id = record.id().value();
    boolean asked =
        live.cancel(id, request)
            || (record.status() == Status.RUNNING
                && record.workflowRunId() != null
                && live.cancel(record.workflowRunId(), request));
    if (!asked) {
      throw notCancellable("run " + id, record.status());
    }
    ctx.redirect("/runs/" + id, HttpStatus.SEE_OTHER);
  }

  /** {@code POST /workflow-runs/{id}/cancel}: the step in progress and every later one stop. */
  private void cancelWorkflow(Context ctx, Sessions.Session session) {
    CancelRequest request = cancelRequest(ctx, session);
    WorkflowRun run = workflowRun(ctx.pathParam("id"));
    if (!live.cancel(run.id(), request)) {
      throw notCancellable("workflow run " + run.id(), run.status());
    }
    ctx.redirect("/workflow-runs/" + run.id(), HttpStatus.SEE_OTHER);
  }

  /** The cancel request of a same-site form of a run token's session, or a refusal. */
  private CancelRequest cancelRequest(Context ctx, Sessions.Session session) {
    CrossSite.check(ctx, session, access.form(ctx));
    Caller caller = session.caller();
    if (!caller.mayRun()) {
      throw new ApiProblem(
          ProblemType.FORBIDDEN,
          "the token '" + caller.label() + "' is read-only; cancelling a run needs a 'run' token");
    }
    return CancelRequest.overHttp(caller.label());
  }

  private static ApiProblem notCancellable(String what, Status status) {
    return new ApiProblem(
        ProblemType.NOT_CANCELLABLE,
        status == Status.RUNNING
            ? what + " was started by another stepguard process; cancel it there"
            : what + " has already ended " + status);
  }

  private WorkflowRun workflowRun(String idOrPrefix) {
    HistoryQueries.WorkflowRunLookup lookup = history.get().workflowRun(idOrPrefix);
    if (lookup instanceof HistoryQueries.WorkflowRunLookup.NotFound notFound) {
      throw new ApiProblem(ProblemType.NOT_FOUND, notFound.message());
    }
    return ((HistoryQueries.WorkflowRunLookup.Found) lookup).run();
  }

  private void workflow(Context ctx, Sessions.Session session) {
    WorkflowRun run = workflowRun(ctx.pathParam("id"));
    // A running workflow run records its steps when it ends: until then its page lists the runs
    // of its steps so far, from the history, oldest first.
    List<ExecutionSummary> started = List.of();
    if (run.status() == Status.RUNNING) {
      HistoryQueries queries = history.get();
      started =
          new ArrayList<>(
              queries
                  .list(
                      Queries.executions(
                          name -> "workflowRun".equals(name) ? run.id() : null,
                          HistoryFilter.MAX_LIMIT,
                          queries,
                          clock))
                  .items());
      Collections.reverse(started);
    }
    WebAccess.render(
        ctx,
        "workflow.jte",
        WorkflowPage.of(run, started, session, live.find(run.id()).isPresent()));
  }
}
