package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.Status;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The one way a route starts a run of any kind: claims the {@code Idempotency-Key} (or answers with
 * the run that claimed it), takes a place in the run slots (429 when there is none), records the
 * run RUNNING and queued before anybody is told it was accepted, registers it as live, and answers
 * at its end, or at once with {@code Prefer: respond-async}. The key is given back when the run
 * could not be taken. Also cancels the runs it started.
 */
final class RunStarter {
  private final RunSlots slots;
  private final LiveRuns live;
  private final Metrics metrics;
  private final Idempotency idempotency;
  private final Executor answers;

  /**
   * @param answers where the answer of a synchronous run is written once it ended (the request
   *     threads): never the run slot's own thread, which a client that does not read would hold
   */
  RunStarter(
      ProjectRuntime runtime,
      RunSlots slots,
      LiveRuns live,
      Metrics metrics,
      Clock clock,
      Executor answers) {
    this.answers = Objects.requireNonNull(answers, "answers");
    this.slots = Objects.requireNonNull(slots, "slots");
    this.live = Objects.requireNonNull(live, "live");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.idempotency = new Idempotency(runtime, clock);
  }

  /** Starts run {@code id} of {@code kind}, asked for by {@code caller} with {@code body}. */
  <R> void start(Context ctx, Caller caller, ObjectNode body, String id, RunKind<R> kind) {
    Idempotency.Begin begin =
        idempotency.begin(
            ctx,
            caller,
            kind.route(),
            body,
            id,
            runId -> live.find(runId).isPresent() || kind.find(runId).isPresent());
    if (begin instanceof Idempotency.Begin.Replay replay) {
      replay(ctx, replay.runId(), kind);
      return;
    }
    ServerRun<R> run = new ServerRun<>(id, kind, slots, metrics);
    try {
      run.enqueue();
    } catch (ApiProblem refused) {
      idempotency.release(begin);
      if (refused.type() == ProblemType.QUEUE_FULL) {
        metrics.rejected();
      }
      throw refused;
    }
    R accepted;
    try {
      accepted = kind.accept(id);
    } catch (RuntimeException e) {
      run.notAccepted(e);
      idempotency.release(begin);
      throw e instanceof IllegalStateException
          ? new ApiProblem(ProblemType.HISTORY_UNAVAILABLE, e.getMessage())
          : e;
    }
    if (kind.status(accepted) == Status.RUNNING) {
      live.add(id, run::cancel, run.end());
    }
    run.accepted(accepted);
    if (kind.status(accepted) != Status.RUNNING) {
      answer(ctx, kind, accepted, RunAnswers.Delivery.NEW);
    } else if (Prefers.async(ctx)) {
      R now = run.end().isDone() ? run.end().join() : kind.find(id).orElse(accepted);
      answer(ctx, kind, now, RunAnswers.Delivery.NEW);
    } else {
      ctx.future(
          () ->
              run.end()
                  .thenAcceptAsync(
                      record -> answer(ctx, kind, record, RunAnswers.Delivery.NEW), answers));
    }
  }

  /**
   * Answers with the run an earlier request with the same key started: at its end (200) unless the
   * client asked for an async answer or the run is not this server's to wait for.
   */
  private <R> void replay(Context ctx, String id, RunKind<R> kind) {
    Optional<LiveRuns.Live> running = live.find(id);
    if (running.isPresent() && !Prefers.async(ctx)) {
      ctx.future(
          () ->
              running.get().end().handleAsync((ended, error) -> replayed(ctx, id, kind), answers));
      return;
    }
    replayed(ctx, id, kind);
  }

  private <R> Void replayed(Context ctx, String id, RunKind<R> kind) {
    Optional<R> record = kind.find(id);
    if (record.isPresent()) {
      answer(ctx, kind, record.get(), RunAnswers.Delivery.REPLAYED);
    } else {
      // The first request claimed the key a moment ago and is recording its run now.
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("id", id);
      body.put("status", Status.RUNNING.name());
      RunAnswers.answer(
          ctx,
          Status.RUNNING,
          id,
          kind.idField(),
          null,
          body,
          kind.location(id),
          RunAnswers.Delivery.REPLAYED);
    }
    return null;
  }

  private static <R> void answer(
      Context ctx, RunKind<R> kind, R record, RunAnswers.Delivery delivery) {
    String id = kind.id(record);
    RunAnswers.answer(
        ctx,
        kind.status(record),
        id,
        kind.idField(),
        kind.error(record),
        record,
        kind.location(id),
        delivery);
  }

  /**
   * Asks run {@code id} of this server to stop for {@code caller} and answers 202 with what was
   * asked ({@code about}, and who asked); false, with nothing answered, when this server has no
   * such live run.
   */
  boolean cancel(
      Context ctx, Caller caller, String id, String location, Map<String, Object> about) {
    if (!live.cancel(id, CancelRequest.overHttp(caller.label()))) {
      return false;
    }
    Map<String, Object> body = new LinkedHashMap<>(about);
    body.put("cancelRequested", true);
    body.put("requestedBy", caller.label());
    ctx.status(202).header("Location", location);
    Json.write(ctx, body);
    return true;
  }
}
