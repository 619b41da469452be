package dev.stepguard.app.http;

import dev.stepguard.core.model.ExecutionSummary;
import dev.stepguard.core.model.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The history page's chart, drawn on the server as SVG shapes: how many runs ended in each status
 * over the selected period, and how long the latest of them took, so that a spike of TIMED_OUT or a
 * slow script shows at a glance. Sizes are in SVG user units.
 *
 * @param statuses one bar per status that has runs, longest for the most
 * @param height the height of the status chart
 * @param durations one bar per run, oldest on the left
 * @param longest the longest duration drawn, as text
 * @param counted how many runs the chart counts
 * @param capped whether the period had more runs than the chart counts
 */
record HistoryChart(
    List<HistoryChart.StatusBar> statuses,
    int height,
    List<HistoryChart.DurationBar> durations,
    String longest,
    int counted,
    boolean capped) {
  static final int WIDTH = 600;
  static final int BAR = 18;
  static final int LABEL = 130;
  static final int DURATION_HEIGHT = 120;
  static final int MOST_DURATIONS = 100;
  static final int MOST_SLOT = 24;

  /** A status's bar: its count and length. */
  record StatusBar(String status, String css, long count, int y, int width, int textY) {}

  /** A run's bar: where it stands, how high, and what it says on hover. */
  record DurationBar(String href, int x, int y, int width, int height, String css, String title) {}

  HistoryChart {
    statuses = List.copyOf(statuses);
    durations = List.copyOf(durations);
  }

  /** The chart of {@code runs}, newest first as the history lists them. */
  static HistoryChart of(List<ExecutionSummary> runs, boolean capped) {
    Map<Status, Long> counts = new EnumMap<>(Status.class);
    runs.forEach(run -> counts.merge(run.status(), 1L, Long::sum));
    long most = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
    List<StatusBar> statuses = new ArrayList<>();
    int row = 0;
    for (Map.Entry<Status, Long> entry : counts.entrySet()) {
      int y = row * (BAR + 4);
      int width = (int) Math.max(2, (WIDTH - LABEL - 60) * entry.getValue() / most);
      statuses.add(
          new StatusBar(
              entry.getKey().name(),
              StatusWords.css(entry.getKey()),
              entry.getValue(),
              y,
              width,
              y + BAR - 5));
      row++;
    }
    List<ExecutionSummary> latest = runs.subList(0, Math.min(MOST_DURATIONS, runs.size()));
    long longest = latest.stream().mapToLong(ExecutionSummary::durationMs).max().orElse(0);
    List<DurationBar> durations = new ArrayList<>();
    int slot = Math.min(MOST_SLOT, WIDTH / Math.max(latest.size(), 1));
    for (int i = 0; i < latest.size(); i++) {
      ExecutionSummary run = latest.get(latest.size() - 1 - i);
      int height =
          (int) Math.max(1, (DURATION_HEIGHT - 10) * run.durationMs() / Math.max(longest, 1));
      durations.add(
          new DurationBar(
              "/runs/" + run.id().value(),
              i * slot,
              DURATION_HEIGHT - height,
              Math.max(1, slot - 2),
              height,
              StatusWords.css(run.status()),
              run.script()
                  + ": "
                  + PageText.duration(run.durationMs())
                  + " ("
                  + run.status()
                  + ")"));
    }
    return new HistoryChart(
        statuses,
        Math.max(BAR, row * (BAR + 4)),
        durations,
        PageText.duration(longest),
        runs.size(),
        capped);
  }
}
