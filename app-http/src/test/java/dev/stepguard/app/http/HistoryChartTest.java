package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionSummary;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history chart: a bar per status as long as its count, a bar per run as high as it took. */
class HistoryChartTest {
  private static ExecutionSummary run(Status status, long durationMs, int minute) {
    Instant started = Instant.parse("2026-11-30T08:00:00Z").plusSeconds(60L * minute);
    return new ExecutionSummary(
        ExecutionId.random(),
        status,
        "etl/" + status.name().toLowerCase(java.util.Locale.ROOT) + ".py",
        null,
        null,
        started,
        started.plusMillis(durationMs),
        durationMs,
        2,
        2,
        0,
        Requester.http("ci"),
        null,
        null,
        false);
  }

  @Test
  void drawsABarPerStatusAsLongAsItsCount() {
    List<ExecutionSummary> runs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      runs.add(run(Status.TIMED_OUT, 5000, i));
    }
    runs.add(run(Status.SUCCEEDED, 100, 9));
    runs.add(run(Status.SUCCEEDED, 100, 10));

    HistoryChart chart = HistoryChart.of(runs, false);

    assertThat(chart.statuses())
        .extracting(HistoryChart.StatusBar::status)
        .containsExactly("SUCCEEDED", "TIMED_OUT");
    HistoryChart.StatusBar succeeded = chart.statuses().get(0);
    HistoryChart.StatusBar timedOut = chart.statuses().get(1);
    assertThat(timedOut.count()).isEqualTo(8);
    assertThat(timedOut.width()).isBetween(4 * succeeded.width(), 4 * succeeded.width() + 3);
    assertThat(timedOut.css()).isEqualTo("st-timed-out");
    assertThat(chart.counted()).isEqualTo(10);
  }

  @Test
  void drawsTheLatestRunsOldestFirstAsHighAsTheyTook() {
    List<ExecutionSummary> newestFirst =
        List.of(run(Status.SUCCEEDED, 1000, 2), run(Status.FAILED, 4000, 1));

    HistoryChart chart = HistoryChart.of(newestFirst, false);

    HistoryChart.DurationBar older = chart.durations().get(0);
    HistoryChart.DurationBar newer = chart.durations().get(1);
    assertThat(older.css()).isEqualTo("st-failed");
    assertThat(older.x()).isLessThan(newer.x());
    assertThat(older.height()).isEqualTo(HistoryChart.DURATION_HEIGHT - 10);
    assertThat(newer.height()).isEqualTo((HistoryChart.DURATION_HEIGHT - 10) / 4);
    assertThat(older.y() + older.height()).isEqualTo(HistoryChart.DURATION_HEIGHT);
    assertThat(older.title()).isEqualTo("etl/failed.py: 4.0 s (FAILED)");
    assertThat(chart.longest()).isEqualTo("4.0 s");
  }

  @Test
  void drawsNothingForNoRun() {
    HistoryChart chart = HistoryChart.of(List.of(), false);

    assertThat(chart.statuses()).isEmpty();
    assertThat(chart.durations()).isEmpty();
    assertThat(chart.counted()).isZero();
  }
}
