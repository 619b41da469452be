package dev.stepguard.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which runs a history listing wants, newest first. Every criterion is optional.
 *
 * @param since runs that started at or after this instant
 * @param until runs that started before this instant
 * @param after the cursor of the previous page
 * @param limit the most runs on one page
 */
public record HistoryFilter(
    Optional<Status> status,
    Optional<ScriptGlob> script,
    Optional<Instant> since,
    Optional<Instant> until,
    Optional<String> workflowRunId,
    Optional<HistoryCursor> after,
    int limit) {
  public static final int MAX_LIMIT = 1000;

  public HistoryFilter {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(workflowRunId, "workflowRunId");
    Objects.requireNonNull(after, "after");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "the limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }

  /** Every run, newest first, {@code limit} to a page. */
  public static HistoryFilter all(int limit) {
    return new HistoryFilter(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        limit);
  }

  public HistoryFilter withStatus(Status value) {
    return new HistoryFilter(Optional.of(value), script, since, until, workflowRunId, after, limit);
  }

  public HistoryFilter withScript(ScriptGlob value) {
    return new HistoryFilter(status, Optional.of(value), since, until, workflowRunId, after, limit);
  }

  public HistoryFilter withSince(Instant value) {
    return new HistoryFilter(
        status, script, Optional.of(value), until, workflowRunId, after, limit);
  }

  public HistoryFilter withUntil(Instant value) {
    return new HistoryFilter(
        status, script, since, Optional.of(value), workflowRunId, after, limit);
  }

  public HistoryFilter withWorkflowRun(String value) {
    return new HistoryFilter(status, script, since, until, Optional.of(value), after, limit);
  }

  public HistoryFilter withAfter(HistoryCursor value) {
    return new HistoryFilter(
        status, script, since, until, workflowRunId, Optional.of(value), limit);
  }

  /** Whether {@code record} belongs in this listing, cursor included. */
  public boolean accepts(ExecutionRecord record) {
    return status.map(s -> s == record.status()).orElse(true)
        && script.map(g -> g.matches(record.script())).orElse(true)
        && since.map(t -> !record.startedAt().isBefore(t)).orElse(true)
        && until.map(t -> record.startedAt().isBefore(t)).orElse(true)
        && workflowRunId.map(w -> w.equals(record.workflowRunId())).orElse(true)
        && after.map(c -> c.precedes(record)).orElse(true);
  }
}
