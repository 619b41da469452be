package dev.stepguard.core.port;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The execution history: where every run is written before it starts and closed when it ends. Every
 * write is durable when the method returns (it survives the host program being killed).
 * Implementations throw {@link HistoryUnavailableException} when the history cannot be reached.
 */
public interface ExecutionStore {

  /**
   * Adds a new run: RUNNING with the process that is about to run the script, or the whole record
   * of a run that ended before a script could start.
   */
  void insert(ExecutionRecord record);

  /**
   * Marks a queued run (RUNNING, accepted but with no process yet: {@link
   * ExecutionRecord#queued()}) as started: its record becomes {@code running}, which has the
   * process about to run the script and the time it started.
   *
   * @return false when the run is not queued any more (cancelled or closed meanwhile, or unknown);
   *     nothing is changed
   */
  boolean start(ExecutionRecord running);

  /**
   * Closes a RUNNING run (queued or started) with its terminal record.
   *
   * @return false when the run was not RUNNING (already closed, or unknown); nothing is changed
   */
  boolean finish(ExecutionRecord record);

  Optional<ExecutionRecord> find(ExecutionId id);

  /**
   * Whether run {@code id} is queued ({@link ExecutionRecord#queued()}): false when it started, was
   * closed, or is unknown. Reads the run's state, not its record: a server asks it before every run
   * it starts.
   */
  boolean queued(ExecutionId id);

  /** Up to {@code max} runs whose id starts with {@code prefix}, for short ids typed by people. */
  List<ExecutionRecord> findByPrefix(String prefix, int max);

  /**
   * The summaries of the runs {@code filter} accepts, newest first (by start time, then id), one
   * page. Reads no run's inputs, output or stderr: a page costs the same whatever their size.
   */
  HistoryPage list(HistoryFilter filter);

  /** Every run still RUNNING. */
  List<ExecutionRecord> running();

  /**
   * Deletes closed runs that started before {@code before}, but never the {@code keep} newest runs.
   *
   * @return how many runs were deleted
   */
  long prune(Instant before, int keep);
}
