package dev.stepguard.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a history listing, newest first: the summaries of its runs (never their inputs,
 * output or stderr), and where the next page starts if there is one.
 */
public record HistoryPage(List<ExecutionSummary> items, Optional<HistoryCursor> next) {
  public HistoryPage {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
    Objects.requireNonNull(next, "next");
  }

  /**
   * The page of {@code limit} runs out of {@code fetched}, which holds up to one run more: that
   * extra run says there is a next page.
   */
  public static HistoryPage of(List<ExecutionSummary> fetched, int limit) {
    if (fetched.size() <= limit) {
      return new HistoryPage(fetched, Optional.empty());
    }
    List<ExecutionSummary> page = fetched.subList(0, limit);
    return new HistoryPage(page, Optional.of(HistoryCursor.after(page.get(limit - 1))));
  }
}
