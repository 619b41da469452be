package dev.stepguard.core.execution.planted;

import dev.stepguard.core.history.HistoryQueries;

/** Breaks core's capability rules on purpose: execution using history. */
public final class ReachesIntoHistory {
  private ReachesIntoHistory() {}

  public static Class<?> historySide() {
    return HistoryQueries.class;
  }
}
