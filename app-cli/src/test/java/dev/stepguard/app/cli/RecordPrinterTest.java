package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.composition.HandOff;
import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Status;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A record a server sent back (read without Jackson) is printed for people exactly as the record of
 * a run alone is.
 */
class RecordPrinterTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private static List<String> printed(ExecutionRecord record) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    RecordPrinter.human(
        new PrintWriter(out, true), Printable.guarded(new PrintWriter(err, true)), record);
    return List.of(out.toString(), err.toString());
  }

  private static List<String> printedAsSent(ExecutionRecord record) throws Exception {
    Map<String, Object> fields =
        new HandOff.Answer.Ended(List.of(), Json.writer().writeValueAsString(record)).fields();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    RecordPrinter.human(
        new PrintWriter(out, true), Printable.guarded(new PrintWriter(err, true)), fields);
    return List.of(out.toString(), err.toString());
  }

  @Test
  void printsASentRecordOfEveryEndingAsTheRecordItself() throws Exception {
    for (Status status : Status.values()) {
      if (status == Status.RUNNING || status == Status.ABANDONED) {
        continue;
      }
      ExecutionRecord record = SampleRecords.closed(SampleRecords.running("x.py", T0), status);

      assertThat(printedAsSent(record)).as(status.name()).isEqualTo(printed(record));
    }
  }

  @Test
  void printsTheOutputAndTheStderrOfASentRecordWithTheSameEscapes() throws Exception {
    ExecutionRecord succeeded =
        SampleRecords.closed(SampleRecords.running("x.py", T0), Status.SUCCEEDED).toBuilder()
            .output(
                Json.reader()
                    .readTree(
                        "{\"\\u001b]0;title\\u0007\": [\"\\u202egnp.exe\", 1.50, 1e999999999,"
                            + " -0, null, true, \"\\u0085\\u009b\\u2028 ✓\"]}"))
            .build();
    ExecutionRecord failed =
        SampleRecords.closed(SampleRecords.running("x.py", T0), Status.FAILED).toBuilder()
            .stderr("line\n".repeat(30) + "\u001b[2J\u202e cleared\r\n")
            .build();

    assertThat(printedAsSent(succeeded)).isEqualTo(printed(succeeded));
    assertThat(printedAsSent(failed)).isEqualTo(printed(failed));
    assertThat(printed(succeeded).get(0)).contains("\\u001B]0;title\\u0007", "\\u202e");
    assertThat(printed(failed).get(1)).contains("(last 20 lines)", "\\x1b[2J");
  }
}
