package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.Quantities;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.ScriptGlob;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The routes of single runs: start one, list them, show one, cancel one. */
final class ExecutionRoutes {
  static final String BASE = "/api/v1/executions";
  private static final int DEFAULT_LIMIT = 20;

  private final ProjectRuntime runtime;
  private final RunSlots slots;
  private final LiveRuns live;
  private final RequestBodies bodies;
  private final Metrics metrics;
  private final Clock clock;
  private final Idempotency idempotency;

  ExecutionRoutes(
      ProjectRuntime runtime,
      RunSlots slots,
      LiveRuns live,
      RequestBodies bodies,
      Metrics metrics,
      Clock clock) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.live = Objects.requireNonNull(live, "live");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.idempotency = new Idempotency(runtime, clock);
  }

  static String location(String id) {
    return BASE + "/" + id;
  }

  /** {@code POST /api/v1/executions}. */
  void start(Context ctx) {
    Caller caller = BearerAuth.runner(ctx, "starting a run");
    ObjectNode json = bodies.object(ctx);
    RunRequest body = RunRequest.of(json);
    Settings settings = runtime.settings();
    Duration timeout = body.timeout().orElse(settings.timeout());
    if (body.timeout().isPresent() && timeout.compareTo(settings.maxTimeout()) > 0) {
      throw RunRequest.malformed(
          "the timeout "
              + Quantities.text(timeout)
              + " is longer than this server allows ("
              + Quantities.text(settings.maxTimeout())
              + ", maxTimeout in the operator config)");
    }
    ExecutionRequest request =
        ExecutionRequest.standalone(
            body.script(),
            body.inputJson(),
            timeout,
            settings.grace(),
            settings.limitsFor(timeout),
            Requester.http(caller.label()));
    ExecutionId id = ExecutionId.random();
    Idempotency.Begin begin = idempotency.begin(ctx, caller, "executions", json, id.value());
    if (begin instanceof Idempotency.Begin.Replay replay) {
      replay(ctx, new ExecutionId(replay.runId()), body.script());
      return;
    }
    Cancellation cancellation = new Cancellation();
    CompletableFuture<ExecutionRecord> end;
    try {
      end = slots.submit(() -> run(id, request, cancellation));
    } catch (ApiProblem refused) {
      idempotency.release(begin);
      if (refused.type() == ProblemType.QUEUE_FULL) {
        metrics.rejected();
      }
      throw refused;
    }
    live.add(id.value(), cancellation, end);
    if (Prefers.async(ctx)) {
      answerAsync(ctx, id, body.script(), end);
    } else {
      ctx.future(() -> end.thenAccept(record -> answer(ctx, record)));
    }
  }

  /**
   * Answers with the run an earlier request with the same key started: at its end (200) unless the
   * client asked for an async answer or the run is not this server's to wait for.
   */
  private void replay(Context ctx, ExecutionId id, String script) {
    Optional<LiveRuns.Live> running = live.find(id.value());
    if (running.isPresent() && !Prefers.async(ctx)) {
      ctx.future(() -> running.get().end().handle((ended, error) -> replayed(ctx, id, script)));
      return;
    }
    replayed(ctx, id, script);
  }

  private Void replayed(Context ctx, ExecutionId id, String script) {
    Optional<ExecutionRecord> record = find(id);
    RunAnswers.answer(
        ctx,
        record.map(ExecutionRecord::status).orElse(Status.RUNNING),
        id.value(),
        record.map(r -> r.error() == null ? null : r.error().message()).orElse(null),
        record.<Object>map(r -> r).orElseGet(() -> queued(id, script)),
        location(id.value()),
        RunAnswers.Delivery.REPLAYED);
    return null;
  }

  private ExecutionRecord run(ExecutionId id, ExecutionRequest request, Cancellation cancellation) {
    ExecutionRecord record = runtime.executor().execute(id, request, cancellation);
    metrics.ended(record.status(), Duration.ofMillis(record.durationMs()));
    return record;
  }

  /**
   * The answer to {@code Prefer: respond-async}: 202 with the RUNNING record once the run is
   * recorded, or the run's own answer if it ended first (a refusal is a 422 either way).
   */
  private void answerAsync(
      Context ctx, ExecutionId id, String script, CompletableFuture<ExecutionRecord> end) {
    Optional<ExecutionRecord> running = Prefers.awaitRecorded(end, () -> find(id), clock);
    if (end.isDone() && !end.isCompletedExceptionally()) {
      answer(ctx, end.join());
      return;
    }
    Object body = running.<Object>map(r -> r).orElseGet(() -> queued(id, script));
    RunAnswers.answer(
        ctx, Status.RUNNING, id.value(), null, body, location(id.value()), RunAnswers.Delivery.NEW);
  }

  private static Map<String, Object> queued(ExecutionId id, String script) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id.value());
    body.put("status", Status.RUNNING.name());
    body.put("script", script);
    body.put("queued", true);
    return body;
  }

  private Optional<ExecutionRecord> find(ExecutionId id) {
    return runtime.history().show(id.value()) instanceof HistoryQueries.Lookup.Found found
        ? Optional.of(found.record())
        : Optional.empty();
  }

  private static void answer(Context ctx, ExecutionRecord record) {
    RunAnswers.answer(
        ctx,
        record.status(),
        record.id().value(),
        record.error() == null ? null : record.error().message(),
        record,
        location(record.id().value()),
        RunAnswers.Delivery.NEW);
  }

  /** {@code GET /api/v1/executions/{id}}. */
  void show(Context ctx) {
    Json.write(ctx, record(ctx.pathParam("id")));
  }

  /** The run with this id or unique prefix, or a 404 problem. */
  ExecutionRecord record(String idOrPrefix) {
    HistoryQueries.Lookup lookup = runtime.history().show(idOrPrefix);
    if (lookup instanceof HistoryQueries.Lookup.Found found) {
      return found.record();
    }
    if (lookup instanceof HistoryQueries.Lookup.FoundWorkflowRun workflowRun) {
      throw new ApiProblem(
          ProblemType.NOT_FOUND,
          idOrPrefix
              + " is a workflow run: GET "
              + WorkflowRoutes.location(workflowRun.run().id()));
    }
    throw new ApiProblem(
        ProblemType.NOT_FOUND, ((HistoryQueries.Lookup.NotFound) lookup).message());
  }

  /** {@code POST /api/v1/executions/{id}/cancel}. */
  void cancel(Context ctx) {
    Caller caller = BearerAuth.runner(ctx, "cancelling a run");
    ExecutionRecord record = record(ctx.pathParam("id"));
    String id = record.id().value();
    if (!live.cancel(id, CancelRequest.overHttp(caller.label()))) {
      throw new ApiProblem(
          ProblemType.NOT_CANCELLABLE,
          record.status() == Status.RUNNING
              ? "run " + id + " was started by another stepguard process; cancel it there"
              : "run " + id + " has already ended " + record.status(),
          Map.of("executionId", id, "runStatus", record.status().name()),
          Map.of());
    }
    ctx.status(202).header("Location", location(id));
    Json.write(ctx, Map.of("id", id, "cancelRequested", true, "requestedBy", caller.label()));
  }

  /** {@code GET /api/v1/executions}. */
  void list(Context ctx) {
    BearerAuth.caller(ctx);
    HistoryQueries history = runtime.history();
    HistoryFilter filter = filter(ctx, history);
    HistoryPage page = history.list(filter);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items());
    body.put("nextCursor", page.next().map(HistoryCursor::encode).orElse(null));
    Json.write(ctx, body);
  }

  private HistoryFilter filter(Context ctx, HistoryQueries history) {
    int limit = Queries.limit(ctx, DEFAULT_LIMIT);
    HistoryFilter filter = HistoryFilter.all(limit);
    try {
      String status = ctx.queryParam("status");
      if (status != null) {
        filter = filter.withStatus(Queries.status(status));
      }
      String script = ctx.queryParam("script");
      if (script != null) {
        filter = filter.withScript(new ScriptGlob(script));
      }
      String since = ctx.queryParam("since");
      if (since != null) {
        filter = filter.withSince(Times.parse("since", since, clock));
      }
      String until = ctx.queryParam("until");
      if (until != null) {
        filter = filter.withUntil(Times.parse("until", until, clock));
      }
      String cursor = ctx.queryParam("cursor");
      if (cursor != null) {
        filter = filter.withAfter(HistoryCursor.decode(cursor));
      }
    } catch (IllegalArgumentException e) {
      throw RunRequest.malformed(e.getMessage());
    }
    String workflowRun = ctx.queryParam("workflowRun");
    if (workflowRun != null) {
      HistoryQueries.WorkflowRunLookup lookup = history.workflowRun(workflowRun);
      if (lookup instanceof HistoryQueries.WorkflowRunLookup.NotFound notFound) {
        throw new ApiProblem(ProblemType.NOT_FOUND, notFound.message());
      }
      filter = filter.withWorkflowRun(((HistoryQueries.WorkflowRunLookup.Found) lookup).run().id());
    }
    return filter;
  }
}
