package dev.stepguard.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Status;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Prints a run for people (output, or one sentence plus detail) or for programs (the record). */
final class RecordPrinter {
  static final int STDERR_LINES = 20;

  private RecordPrinter() {}

  static void json(PrintWriter out, Object value) {
    try {
      out.println(Printable.JSON.withDefaultPrettyPrinter().writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    out.flush();
  }

  /**
   * Prints {@code run} (a record or a workflow run) for programs, with the root of the project it
   * belongs to as {@code project}: found by discovery, it is otherwise nowhere in the output.
   */
  static void jsonInProject(PrintWriter out, Object run, Path projectRoot) {
    ObjectNode node = Json.tree(run);
    node.put("project", projectRoot.toString());
    json(out, node);
  }

  static void human(PrintWriter out, PrintWriter err, ExecutionRecord record) {
    if (record.status() == Status.SUCCEEDED) {
      out.println(Printable.json(record.output()));
      out.flush();
      return;
    }
    err.println("stepguard: " + record.error().message());
    err.println(
        "  run "
            + record.id()
            + " ("
            + record.durationMs()
            + " ms, "
            + record.isolation().label()
            + " isolation)");
    String stderr = record.stderr().stripTrailing();
    if (!stderr.isEmpty()) {
      String[] lines = stderr.split("\n");
      int from = Math.max(0, lines.length - STDERR_LINES);
      err.println(
          "  --- stderr"
              + (from > 0 || record.stderrTruncated()
                  ? " (last " + (lines.length - from) + " lines)"
                  : "")
              + " ---");
      for (int i = from; i < lines.length; i++) {
        err.println("  " + lines[i]);
      }
    }
    err.flush();
  }
}
