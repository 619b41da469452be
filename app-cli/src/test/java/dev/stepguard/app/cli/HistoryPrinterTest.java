package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.SampleRecords;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HistoryPrinterTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static String shown(dev.stepguard.core.model.ExecutionRecord record) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      HistoryPrinter.record(out, record);
    }
    return text.toString();
  }

  @Test
  void saysAQueuedRunHasNotStartedAndWhenItWasAccepted() {
    String shown = shown(SampleRecords.queued("slow.py", T0));

    assertThat(shown)
        .contains("status:        RUNNING (queued: accepted by the server, its script not started");
    assertThat(shown).contains("accepted:").doesNotContain("started:");
  }

  @Test
  void showsAStartedRunAsRunningSinceItsStart() {
    String shown = shown(SampleRecords.running("slow.py", T0));

    assertThat(shown).contains("status:        RUNNING\n", "started:").doesNotContain("queued");
  }
}
