package dev.stepguard.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
      out.println(Printable.jsonWriter().withDefaultPrettyPrinter().writeValueAsString(value));
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
    human(
        out,
        err,
        new Shown(
            record.status(),
            record.output(),
            record.error() == null ? null : record.error().message(),
            record.id().value(),
            record.durationMs(),
            record.isolation().label(),
            record.stderr(),
            record.stderrTruncated()));
  }

  /** Prints a record in its JSON shape (as a server sent it) for people, as {@link #human} does. */
  static void human(PrintWriter out, PrintWriter err, JsonNode record) {
    human(
        out,
        err,
        new Shown(
            Status.valueOf(record.path("status").asText()),
            record.get("output"),
            record.path("error").path("message").asText(null),
            record.path("id").asText(),
            record.path("durationMs").asLong(),
            record.path("isolation").asText(),
            record.path("stderr").asText(""),
            record.path("stderrTruncated").asBoolean()));
  }

  /** What the human form shows of a record. */
  private record Shown(
      Status status,
      JsonNode output,
      String error,
      String id,
      long durationMs,
      String isolation,
      String stderr,
      boolean stderrTruncated) {}

  private static void human(PrintWriter out, PrintWriter err, Shown record) {
    if (record.status() == Status.SUCCEEDED) {
      out.println(Printable.json(record.output()));
      out.flush();
      return;
    }
    err.println("stepguard: " + record.error());
    err.println(
        "  run "
            + record.id()
            + " ("
            + record.durationMs()
            + " ms, "
            + record.isolation()
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
