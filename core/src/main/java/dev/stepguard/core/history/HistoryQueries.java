package dev.stepguard.core.history;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.WorkflowRun;
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

  public HistoryPage list(HistoryFilter filter) {
    return store.list(Objects.requireNonNull(filter, "filter"));
  }

  /** What looking up a run by its id, or the start of it, found. */
  public sealed interface Lookup {
    record Found(ExecutionRecord record) implements Lookup {}

    record NotFound(String message) implements Lookup {}
  }

  /** Finds a run by its full id or a unique prefix of it (the short id a table shows). */
  public Lookup show(String idOrPrefix) {
    String wanted =
        Objects.requireNonNull(idOrPrefix, "idOrPrefix").trim().toLowerCase(Locale.ROOT);
    if (!ID_PREFIX.matcher(wanted).matches()) {
      return new Lookup.NotFound(
          "'"
              + idOrPrefix
              + "' is not a run id: give the id or at least its first "
              + MIN_PREFIX
              + " characters, as 'history list' shows them");
    }
    if (wanted.length() == 36) {
      ExecutionId id;
      try {
        id = new ExecutionId(wanted);
      } catch (IllegalArgumentException e) {
        return new Lookup.NotFound("'" + idOrPrefix + "' is not a run id");
      }
      return store
          .find(id)
          .<Lookup>map(Lookup.Found::new)
          .orElseGet(() -> new Lookup.NotFound("no run has the id " + wanted));
    }
    List<ExecutionRecord> found = store.findByPrefix(wanted, 2);
    if (found.isEmpty()) {
      return new Lookup.NotFound("no run has an id starting with " + wanted);
    }
    if (found.size() > 1) {
      return new Lookup.NotFound(
          "more than one run has an id starting with " + wanted + "; give more of the id");
    }
    return new Lookup.Found(found.get(0));
  }

  /** The workflow run with this full id, if there is one. */
  public Optional<WorkflowRun> workflowRun(String id) {
    return workflows.find(Objects.requireNonNull(id, "id").trim().toLowerCase(Locale.ROOT));
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
