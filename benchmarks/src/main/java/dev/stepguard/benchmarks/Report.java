package dev.stepguard.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures of one benchmark run, each beside the floor it is held against, as Markdown: printed,
 * and written into {@code docs/PERFORMANCE.md} between two markers (the rest of the file is kept).
 */
final class Report {
  static final String START = "<!-- benchmark-report:start -->";
  static final String END = "<!-- benchmark-report:end -->";

  private final List<String> lines = new ArrayList<>();
  private boolean inTable;

  void heading(String text) {
    endTable();
    if (!lines.isEmpty() && !lines.get(lines.size() - 1).isEmpty()) {
      lines.add("");
    }
    lines.add("### " + text);
    lines.add("");
    System.out.println("== " + text);
  }

  void text(String text) {
    endTable();
    lines.add(text);
    System.out.println(text);
  }

  /** A figure with its floor, the ratio and the target it is held to (empty when none). */
  void figure(String what, String value, String floor, String ratio, String target) {
    if (!inTable) {
      lines.add("| figure | value | floor | ratio | target |");
      lines.add("|---|---|---|---|---|");
      inTable = true;
    }
    String row =
        "| " + what + " | " + value + " | " + floor + " | " + ratio + " | " + target + " |";
    lines.add(row);
    System.out.println(row);
  }

  static String ms(double value) {
    return String.format(Locale.ROOT, "%.1f ms", value);
  }

  static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f×", value);
  }

  /** Whether {@code value} meets {@code limit}, in words for the table. */
  static String atMost(double value, double limit) {
    return String.format(
        Locale.ROOT, "≤ %.2f× %s", limit, value <= limit ? "(met)" : "(**not met**)");
  }

  private void endTable() {
    if (inTable) {
      lines.add("");
      inTable = false;
    }
  }

  /** Replaces the report between the markers of {@code doc}, or appends it with them. */
  void writeInto(Path doc) throws IOException {
    endTable();
    String body = START + "\n" + String.join("\n", lines).strip() + "\n" + END;
    String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    String updated;
    if (start >= 0 && end > start) {
      updated = text.substring(0, start) + body + text.substring(end + END.length());
    } else {
      updated = text.stripTrailing() + "\n\n" + body + "\n";
    }
    Files.writeString(doc, updated, StandardCharsets.UTF_8);
  }
}
