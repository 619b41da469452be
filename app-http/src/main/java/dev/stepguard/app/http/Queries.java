package dev.stepguard.app.http;

import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.ScriptGlob;
import dev.stepguard.core.model.Status;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** Query parameters shared by the listings. */
final class Queries {
  private Queries() {}

  static int limit(Context ctx, int defaultLimit) {
    return limit(ctx.queryParam("limit"), defaultLimit);
  }

  static int limit(String text, int defaultLimit) {
    if (text == null) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(text);
      if (limit >= 1 && limit <= HistoryFilter.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw RunRequest.malformed(
        "limit must be a whole number from 1 to "
            + HistoryFilter.MAX_LIMIT
            + ", was '"
            + text
            + "'");
  }

  static Status status(String text) {
    try {
      return Status.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw RunRequest.malformed(
          "status must be one of " + Arrays.toString(Status.values()) + ", was '" + text + "'");
    }
  }

  /**
   * The history filter that the listing's parameters ask for ({@code status}, {@code script},
   * {@code since}, {@code until}, {@code workflowRun}, {@code cursor}, {@code limit}), each read
   * through {@code param}, which answers null for a parameter not given.
   */
  static HistoryFilter executions(
      UnaryOperator<String> param, int defaultLimit, HistoryQueries history, Clock clock) {
    HistoryFilter filter = HistoryFilter.all(limit(param.apply("limit"), defaultLimit));
    try {
      String status = param.apply("status");
      if (status != null) {
        filter = filter.withStatus(status(status));
      }
      String script = param.apply("script");
      if (script != null) {
        filter = filter.withScript(new ScriptGlob(script));
      }
      String since = param.apply("since");
      if (since != null) {
        filter = filter.withSince(Times.parse("since", since, clock));
      }
      String until = param.apply("until");
      if (until != null) {
        filter = filter.withUntil(Times.parse("until", until, clock));
      }
      String cursor = param.apply("cursor");
      if (cursor != null) {
        filter = filter.withAfter(HistoryCursor.decode(cursor));
      }
    } catch (IllegalArgumentException e) {
      throw RunRequest.malformed(e.getMessage());
    }
    String workflowRun = param.apply("workflowRun");
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
