package dev.stepguard.app.http;

import dev.stepguard.core.model.Status;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The one place where how a run ended becomes an HTTP answer, for single runs and workflow runs
 * alike: RUNNING is 202 Accepted (the run goes on), REJECTED a 422 problem that names the recorded
 * run, every other ending 201 Created with the record (or 200 when an {@code Idempotency-Key}
 * brought back a run that already existed).
 */
final class RunAnswers {
  private RunAnswers() {}

  /** How the run came to be answered for. */
  enum Delivery {
    /** Started by this request. */
    NEW,
    /** Started earlier by a request with the same {@code Idempotency-Key} and body. */
    REPLAYED
  }

  /**
   * Answers with a run's record {@code body}, whose status is {@code status}, id {@code id} (named
   * {@code idField} in a problem) and error message {@code error} (null when it has none).
   */
  static void answer(
      Context ctx,
      Status status,
      String id,
      String idField,
      String error,
      Object body,
      String location,
      Delivery delivery) {
    switch (status) {
      case RUNNING -> {
        ctx.status(202).header("Location", location);
        Json.write(ctx, body);
      }
      case REJECTED ->
          throw new ApiProblem(
              ProblemType.REJECTED,
              error == null ? "the run was refused before it started" : error,
              Map.of(idField, id, "runStatus", status.name(), "location", location),
              Map.of("Location", location));
      case SUCCEEDED,
          FAILED,
          CRASHED,
          TIMED_OUT,
          LIMIT_EXCEEDED,
          INVALID_OUTPUT,
          LAUNCH_FAILED,
          CANCELLED,
          ABANDONED -> {
        ctx.status(delivery == Delivery.REPLAYED ? 200 : 201).header("Location", location);
        Json.write(ctx, body);
      }
    }
  }
}
