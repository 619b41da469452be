package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.Quantities;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The routes of single runs: start one, list them, show one, cancel one. */
final class ExecutionRoutes {
  static final String BASE = "/api/v1/executions";
  private static final int DEFAULT_LIMIT = 20;

  private final ProjectRuntime runtime;
  private final RequestBodies bodies;
  private final Clock clock;
  private final RunStarter starter;

  ExecutionRoutes(ProjectRuntime runtime, RunStarter starter, RequestBodies bodies, Clock clock) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.bodies = Objects.requireNonNull(bodies, "bodies");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.starter = Objects.requireNonNull(starter, "starter");
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
    starter.start(
        ctx, caller, json, ExecutionId.random().value(), new ScriptRuns(runtime, request));
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

  /**
   * {@code POST /api/v1/executions/{id}/cancel}. A step of a workflow run of this server cancels
   * that whole workflow run: the step ends CANCELLED and no later step starts.
   */
  void cancel(Context ctx) {
    Caller caller = BearerAuth.runner(ctx, "cancelling a run");
    ExecutionRecord record = record(ctx.pathParam("id"));
    String id = record.id().value();
    Map<String, Object> about = new LinkedHashMap<>();
    about.put("id", id);
    if (starter.cancel(ctx, caller, id, location(id), about)) {
      return;
    }
    String workflowRun = record.workflowRunId();
    if (record.status() == Status.RUNNING && workflowRun != null) {
      about.put("workflowRunId", workflowRun);
      if (starter.cancel(ctx, caller, workflowRun, location(id), about)) {
        return;
      }
    }
    throw new ApiProblem(
        ProblemType.NOT_CANCELLABLE,
        record.status() == Status.RUNNING
            ? "run " + id + " was started by another stepguard process; cancel it there"
            : "run " + id + " has already ended " + record.status(),
        Map.of("executionId", id, "runStatus", record.status().name()),
        Map.of());
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
    return Queries.executions(ctx::queryParam, DEFAULT_LIMIT, history, clock);
  }
}
