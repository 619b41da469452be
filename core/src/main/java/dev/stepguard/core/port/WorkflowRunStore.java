package dev.stepguard.core.port;

import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.WorkflowRun;
import java.util.List;
import java.util.Optional;

/**
 * The workflow runs of the execution history; each run's steps are execution records that carry its
 * id. Writes are durable when the method returns; failures are {@link HistoryUnavailableException}.
 */
public interface WorkflowRunStore {

  /** Adds a run: RUNNING before its first step, or the whole record of a run refused before it. */
  void insert(WorkflowRun run);

  /** Closes a RUNNING run; false when it was not RUNNING. */
  boolean finish(WorkflowRun run);

  Optional<WorkflowRun> find(String id);

  /**
   * Up to {@code max} workflow runs whose id starts with {@code prefix}, newest first, for the
   * short ids people type.
   */
  List<WorkflowRun> findByPrefix(String prefix, int max);

  /**
   * Up to {@code max} workflow runs, newest first (by start time, then id): only those in {@code
   * status} when given, and only those after {@code after} in that order when given.
   */
  List<WorkflowRun> list(Optional<Status> status, Optional<HistoryCursor> after, int max);

  /** Every workflow run still RUNNING. */
  List<WorkflowRun> running();
}
