package dev.stepguard.core.history;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.model.WorkflowRunSummary;
import dev.stepguard.core.port.ExecutionStore;
import dev.stepguard.core.port.WorkflowRunStore;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and trims the execution history: listing runs, finding a run or a workflow run, pruning old
 * runs.
 */
public final class HistoryQueries {
  /** The shortest id prefix looked up; shorter ones would match too much to be useful. */
  public static final int MIN_PREFIX = 4;

  private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f-]{" + MIN_PREFIX + ",36}");

  private final ExecutionStore store;
  private final WorkflowRunStore workflows;
  private final Clock clock;

  @Inject
  public HistoryQueries(ExecutionStore store, WorkflowRunStore workflows, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.workflows = Objects.requireNonNull(workflows, "workflows");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** One page of the runs {@code filter} accepts, as summaries; {@link #show} gives a record. */
  public HistoryPage list(HistoryFilter filter) {
    return store.list(Objects.requireNonNull(filter, "filter"));
  }

  /** What looking up a run or a workflow run by its id, or the start of it, found. */
  public sealed interface Lookup {
    record Found(ExecutionRecord record) implements Lookup {}

    record FoundWorkflowRun(WorkflowRun run) implements Lookup {}

    record NotFound(String message) implements Lookup {}
  }

  /**
   * Finds a run or a workflow run by its full id or a unique prefix of it (the short ids that
   * {@code history list} and {@code workflow run} print).
   */
  public Lookup show(String idOrPrefix) {
    Optional<String> wanted = normalized(idOrPrefix);
    if (wanted.isEmpty()) {
      return new Lookup.NotFound(
          "'"
              + idOrPrefix
              + "' is not a run id: give the id or at least its first "
              + MIN_PREFIX
              + " characters, as 'history list' and 'workflow run' show them");
    }
    String prefix = wanted.get();
    if (prefix.length() == 36) {
      ExecutionId id;
      try {
        id = new ExecutionId(prefix);
      } catch (IllegalArgumentException e) {
        return new Lookup.NotFound("'" + idOrPrefix + "' is not a run id");
      }
      Optional<ExecutionRecord> record = store.find(id);
      if (record.isPresent()) {
        return new Lookup.Found(record.get());
      }
      return workflows
          .find(prefix)
          .<Lookup>map(Lookup.FoundWorkflowRun::new)
          .orElseGet(
              () ->
                  new Lookup.NotFound(
                      "no run has the id "
                          + prefix
                          + " (a run that 'history prune' deleted is gone; workflow runs still"
                          + " list their pruned steps' ids)"));
    }
    List<ExecutionRecord> runs = store.findByPrefix(prefix, 2);
    List<WorkflowRun> workflowRuns = workflows.findByPrefix(prefix, 2);
    int found = runs.size() + workflowRuns.size();
    if (found == 0) {
      return new Lookup.NotFound(
          "no run has an id starting with "
              + prefix
              + " (a run that 'history prune' deleted is gone; workflow runs still list their"
              + " pruned steps' ids)");
    }
    if (found > 1) {
      return new Lookup.NotFound(
          "more than one run has an id starting with " + prefix + "; give more of the id");
    }
    return runs.isEmpty()
        ? new Lookup.FoundWorkflowRun(workflowRuns.get(0))
        : new Lookup.Found(runs.get(0));
  }

  /** What looking up a workflow run by its id, or the start of it, found. */
  public sealed interface WorkflowRunLookup {
    record Found(WorkflowRun run) implements WorkflowRunLookup {}

    record NotFound(String message) implements WorkflowRunLookup {}
  }

  /** Finds a workflow run by its full id or a unique prefix of it (as 'workflow run' prints it). */
  public WorkflowRunLookup workflowRun(String idOrPrefix) {
    Optional<String> wanted = normalized(idOrPrefix);
    if (wanted.isEmpty()) {
      return new WorkflowRunLookup.NotFound(
          "'"
              + idOrPrefix
              + "' is not a workflow run id: give the id or at least its first "
              + MIN_PREFIX
              + " characters, as 'workflow run' shows them");
    }
    String prefix = wanted.get();
    List<WorkflowRun> found = workflows.findByPrefix(prefix, 2);
    if (found.isEmpty()) {
      return new WorkflowRunLookup.NotFound("no workflow run has an id starting with " + prefix);
    }
    if (found.size() > 1) {
      return new WorkflowRunLookup.NotFound(
          "more than one workflow run has an id starting with " + prefix + "; give more of the id");
    }
    return new WorkflowRunLookup.Found(found.get(0));
  }

  /**
   * One page of workflow run summaries, newest first, and where the next page starts if there is
   * one.
   */
  public record WorkflowRunPage(List<WorkflowRunSummary> items, Optional<HistoryCursor> next) {
    public WorkflowRunPage {
      items = List.copyOf(Objects.requireNonNull(items, "items"));
      Objects.requireNonNull(next, "next");
    }
  }

  /**
   * The summaries of workflow runs, newest first, {@code limit} to a page: only those in {@code
   * status} when given, after the page that ended at {@code after} when given.
   */
  public WorkflowRunPage workflowRuns(
      Optional<Status> status, Optional<HistoryCursor> after, int limit) {
    if (limit < 1 || limit > HistoryFilter.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "the limit must be between 1 and " + HistoryFilter.MAX_LIMIT + ", was " + limit);
    }
    List<WorkflowRun> fetched = workflows.list(status, after, limit + 1);
    List<WorkflowRunSummary> summaries =
        fetched.stream().limit(limit).map(WorkflowRunSummary::of).toList();
    if (fetched.size() <= limit) {
      return new WorkflowRunPage(summaries, Optional.empty());
    }
    WorkflowRun last = fetched.get(limit - 1);
    return new WorkflowRunPage(
        summaries, Optional.of(new HistoryCursor(last.startedAt(), new ExecutionId(last.id()))));
  }

  private static Optional<String> normalized(String idOrPrefix) {
    String wanted =
        Objects.requireNonNull(idOrPrefix, "idOrPrefix").trim().toLowerCase(Locale.ROOT);
    return ID_PREFIX.matcher(wanted).matches() ? Optional.of(wanted) : Optional.empty();
  }

  /**
   * Deletes closed runs that started more than {@code olderThan} ago, keeping at least the {@code
   * keep} newest runs whatever their age.
   *
   * @return how many runs were deleted
   */
  public long prune(Duration olderThan, int keep) {
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("the age to prune at must not be negative");
    }
    if (keep < 0) {
      throw new IllegalArgumentException("the number of runs to keep must not be negative");
    }
    return store.prune(clock.instant().minus(olderThan), keep);
  }
}
