package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.port.Cancellation;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The routes of workflow runs: start one, list them, show one. */
final class WorkflowRoutes {
  static final String BASE = "/api/v1/workflow-runs";
  private static final Set<String> FIELDS = Set.of("workflow", "inputs");

  private final ProjectRuntime runtime;
  private final RunSlots slots;
  private final LiveRuns live;
  private final RequestBodies bodies;
  private final Metrics metrics;
  private final Map<String, String> hostEnvironment;
  private final Clock clock;
  private final Idempotency idempotency;

  WorkflowRoutes(
      ProjectRuntime runtime,
      RunSlots slots,
      LiveRuns live,
      RequestBodies bodies,
      Metrics metrics,
      Map<String, String> hostEnvironment,
      Clock clock) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.live = Objects.requireNonNull(live, "live");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.hostEnvironment = Map.copyOf(hostEnvironment);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idempotency = new Idempotency(runtime, clock);
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
    String id = UUID.randomUUID().toString();
    Idempotency.Begin begin = idempotency.begin(ctx, caller, "workflow-runs", body, id);
    if (begin instanceof Idempotency.Begin.Replay replay) {
      replay(ctx, replay.runId(), workflow);
      return;
    }
    Cancellation cancellation = new Cancellation();
    CompletableFuture<WorkflowRun> end;
    try {
      end =
          slots.submit(
              () -> {
                WorkflowRun run =
                    runtime
                        .workflows()
                        .run(
                            id,
                            workflow,
                            inputJson,
                            settings.stepSettings(),
                            hostEnvironment,
                            Requester.http(caller.label()),
                            cancellation);
                metrics.ended(
                    run.status(),
                    java.time.Duration.between(
                        run.startedAt(),
                        run.finishedAt() == null ? run.startedAt() : run.finishedAt()));
                return run;
              });
    } catch (ApiProblem refused) {
      idempotency.release(begin);
      if (refused.type() == ProblemType.QUEUE_FULL) {
        metrics.rejected();
      }
      throw refused;
    }
    live.add(id, cancellation, end);
    if (Prefers.async(ctx)) {
      Optional<WorkflowRun> running = Prefers.awaitRecorded(end, () -> find(id), clock);
      if (end.isDone() && !end.isCompletedExceptionally()) {
        answer(ctx, end.join());
        return;
      }
      Object answer = running.<Object>map(r -> r).orElseGet(() -> queued(id, workflow));
      RunAnswers.answer(
          ctx, Status.RUNNING, id, null, answer, location(id), RunAnswers.Delivery.NEW);
    } else {
      ctx.future(() -> end.thenAccept(run -> answer(ctx, run)));
    }
  }

  /** Answers with the workflow run an earlier request with the same key started. */
  private void replay(Context ctx, String id, Workflow workflow) {
    Optional<LiveRuns.Live> running = live.find(id);
    if (running.isPresent() && !Prefers.async(ctx)) {
      ctx.future(() -> running.get().end().handle((ended, error) -> replayed(ctx, id, workflow)));
      return;
    }
    replayed(ctx, id, workflow);
  }

  private Void replayed(Context ctx, String id, Workflow workflow) {
    Optional<WorkflowRun> run = find(id);
    RunAnswers.answer(
        ctx,
        run.map(WorkflowRun::status).orElse(Status.RUNNING),
        id,
        run.map(r -> r.error() == null ? null : r.error().message()).orElse(null),
        run.<Object>map(r -> r).orElseGet(() -> queued(id, workflow)),
        location(id),
        RunAnswers.Delivery.REPLAYED);
    return null;
  }

  private static Map<String, Object> queued(String id, Workflow workflow) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("workflow", workflow.file());
    body.put("status", Status.RUNNING.name());
    body.put("queued", true);
    return body;
  }

  private Optional<WorkflowRun> find(String id) {
    return runtime.history().workflowRun(id) instanceof HistoryQueries.WorkflowRunLookup.Found f
        ? Optional.of(f.run())
        : Optional.empty();
  }

  private static void answer(Context ctx, WorkflowRun run) {
    RunAnswers.answer(
        ctx,
        run.status(),
        run.id(),
        run.error() == null ? null : run.error().message(),
        run,
        location(run.id()),
        RunAnswers.Delivery.NEW);
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
    HistoryQueries.WorkflowRunLookup lookup = runtime.history().workflowRun(ctx.pathParam("id"));
    if (lookup instanceof HistoryQueries.WorkflowRunLookup.NotFound notFound) {
      throw new ApiProblem(ProblemType.NOT_FOUND, notFound.message());
    }
    Json.write(ctx, ((HistoryQueries.WorkflowRunLookup.Found) lookup).run());
  }
}
