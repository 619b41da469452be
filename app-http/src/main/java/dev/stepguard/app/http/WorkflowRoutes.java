package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.port.Cancellation;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The routes of workflow runs: start one, list them, show one, cancel one. */
final class WorkflowRoutes {
  static final String BASE = "/api/v1/workflow-runs";
  private static final Set<String> FIELDS = Set.of("workflow", "inputs");

  private final ProjectRuntime runtime;
  private final RequestBodies bodies;
  private final Map<String, String> hostEnvironment;
  private final RunStarter starter;

  WorkflowRoutes(
      ProjectRuntime runtime,
      RunStarter starter,
      RequestBodies bodies,
      Map<String, String> hostEnvironment) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.hostEnvironment = Map.copyOf(hostEnvironment);
    this.starter = Objects.requireNonNull(starter, "starter");
  }

  static String location(String id) {
    return BASE + "/" + id;
  }

  /** {@code POST /api/v1/workflow-runs}. */
  void start(Context ctx) {
    Caller caller = BearerAuth.runner(ctx, "starting a workflow run");
    ObjectNode body = bodies.object(ctx);
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw RunRequest.malformed(
            "the body has a field '"
                + name
                + "' that this route does not take; it takes"
                + " workflow and inputs");
      }
    }
    JsonNode named = body.get("workflow");
    if (named == null || !named.isTextual()) {
      throw RunRequest.malformed(
          "the body needs \"workflow\": the path of a workflow file inside the project");
    }
    Settings settings = runtime.settings();
    Workflow workflow = WorkflowFiles.read(runtime.projectRoot(), named.asText(), settings);
    String inputJson = RunRequest.inputs(body).toString();
    starter.start(
        ctx,
        caller,
        body,
        UUID.randomUUID().toString(),
        new WorkflowRuns(workflow, inputJson, settings, Requester.http(caller.label())));
  }

  /** Workflow runs, as the {@link RunStarter} starts them: through the core's workflow runner. */
  private final class WorkflowRuns implements RunKind<WorkflowRun> {
    private final Workflow workflow;
    private final String inputJson;
    private final Settings settings;
    private final Requester requester;

    WorkflowRuns(Workflow workflow, String inputJson, Settings settings, Requester requester) {
      this.workflow = workflow;
      this.inputJson = inputJson;
      this.settings = settings;
      this.requester = requester;
    }

    @Override
    public String route() {
      return "workflow-runs";
    }

    @Override
    public String idField() {
      return "workflowRunId";
    }

    @Override
    public String location(String id) {
      return WorkflowRoutes.location(id);
    }

    @Override
    public WorkflowRun accept(String id) {
      return runtime
          .workflows()
          .accept(id, workflow, inputJson, settings.stepSettings(), requester);
    }

    @Override
    public WorkflowRun run(String id, Cancellation cancellation) {
      return runtime
          .workflows()
          .runAccepted(
              id,
              workflow,
              inputJson,
              settings.stepSettings(),
              hostEnvironment,
              requester,
              cancellation);
    }

    @Override
    public Optional<WorkflowRun> withdraw(String id, CancelRequest cancel) {
      return runtime.workflows().withdraw(id, cancel);
    }

    @Override
    public Optional<WorkflowRun> find(String id) {
      return WorkflowRoutes.this.find(id);
    }

    @Override
    public String id(WorkflowRun run) {
      return run.id();
    }

    @Override
    public Status status(WorkflowRun run) {
      return run.status();
    }

    @Override
    public String error(WorkflowRun run) {
      return run.error() == null ? null : run.error().message();
    }

    @Override
    public Duration duration(WorkflowRun run) {
      return Duration.between(
          run.startedAt(), run.finishedAt() == null ? run.startedAt() : run.finishedAt());
    }
  }

  private Optional<WorkflowRun> find(String id) {
    return runtime.history().workflowRun(id) instanceof HistoryQueries.WorkflowRunLookup.Found f
        ? Optional.of(f.run())
        : Optional.empty();
  }

  /**
   * {@code POST /api/v1/workflow-runs/{id}/cancel}: the step in progress ends CANCELLED, no later
   * step starts, and the workflow run ends CANCELLED; a run still queued ends CANCELLED at once.
   */
  void cancel(Context ctx) {
    Caller caller = BearerAuth.runner(ctx, "cancelling a workflow run");
    WorkflowRun run = lookup(ctx.pathParam("id"));
    String id = run.id();
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("id", id);
    if (starter.cancel(ctx, caller, id, location(id), about)) {
      return;
    }
    throw new ApiProblem(
        ProblemType.NOT_CANCELLABLE,
        run.status() == Status.RUNNING
            ? "workflow run " + id + " was started by another stepguard process; cancel it there"
            : "workflow run " + id + " has already ended " + run.status(),
        Map.of("workflowRunId", id, "runStatus", run.status().name()),
        Map.of());
  }

  /** {@code GET /api/v1/workflow-runs?status=&limit=&cursor=}. */
  void list(Context ctx) {
    BearerAuth.caller(ctx);
    int limit = Queries.limit(ctx, 20);
    String status = ctx.queryParam("status");
    String cursor = ctx.queryParam("cursor");
    Optional<HistoryCursor> after;
    try {
      after = Optional.ofNullable(cursor).map(HistoryCursor::decode);
    } catch (IllegalArgumentException e) {
      throw RunRequest.malformed(e.getMessage());
    }
    HistoryQueries.WorkflowRunPage page =
        runtime
            .history()
            .workflowRuns(Optional.ofNullable(status).map(Queries::status), after, limit);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items());
    body.put("nextCursor", page.next().map(HistoryCursor::encode).orElse(null));
    Json.write(ctx, body);
  }

  /** {@code GET /api/v1/workflow-runs/{id}}. */
  void show(Context ctx) {
    BearerAuth.caller(ctx);
    Json.write(ctx, lookup(ctx.pathParam("id")));
  }

  /** The workflow run with this id or unique prefix, or a 404 problem. */
  private WorkflowRun lookup(String idOrPrefix) {
    HistoryQueries.WorkflowRunLookup lookup = runtime.history().workflowRun(idOrPrefix);
    if (lookup instanceof HistoryQueries.WorkflowRunLookup.NotFound notFound) {
      throw new ApiProblem(ProblemType.NOT_FOUND, notFound.message());
    }
    return ((HistoryQueries.WorkflowRunLookup.Found) lookup).run();
  }
}
