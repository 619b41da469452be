package dev.stepguard.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Status;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/** Prints a run for people (output, or one sentence plus detail) or for programs (the record). */
final class RecordPrinter {
  static final int STDERR_LINES = 20;

  private RecordPrinter() {}

  static void json(PrintWriter out, Object value) {
    Printable.write(Printable.jsonWriter().withDefaultPrettyPrinter(), value, out);
    out.println();
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
            printed -> Printable.write(Printable.jsonWriter(), record.output(), printed),
            record.error() == null ? null : record.error().message(),
            record.id().value(),
            record.durationMs(),
            record.isolation().label(),
            record.stderr(),
            record.stderrTruncated()));
  }

  /**
   * Prints a record in its JSON shape (as a server sent it, read into plain values) for people, as
   * {@link #human(PrintWriter, PrintWriter, ExecutionRecord)} does, without loading Jackson; a
   * field is read as a Jackson tree's {@code path(name).asText()} and its kin would read it.
   */
  static void human(PrintWriter out, PrintWriter err, Map<String, Object> record) {
    Status status = Status.valueOf(PlainFields.text(record, "status", ""));
    Object error = record.get("error");
    human(
        out,
        err,
        new Shown(
            status,
            new Text(status == Status.SUCCEEDED ? TerminalJson.of(record.get("output")) : ""),
            error instanceof Map<?, ?> fields
                ? PlainFields.textOr(fields.get("message"), null)
                : null,
            PlainFields.text(record, "id", ""),
            PlainFields.number(record.get("durationMs")),
            PlainFields.text(record, "isolation", ""),
            PlainFields.textOr(record.get("stderr"), ""),
            PlainFields.truth(record.get("stderrTruncated"))));
  }

  /** Prints a succeeded run's output as compact JSON safe on a terminal. */
  private interface Output {
    void print(PrintWriter out);
  }

  /** An output already written as text. */
  private record Text(String json) implements Output {
    @Override
    public void print(PrintWriter out) {
      out.print(json);
    }
  }

  /**
   * What the human form shows of a record.
   *
   * @param output how its output is printed, if the run succeeded
   */
  private record Shown(
      Status status,
      Output output,
      String error,
      String id,
      long durationMs,
      String isolation,
      String stderr,
      boolean stderrTruncated) {}

  private static void human(PrintWriter out, PrintWriter err, Shown record) {
    if (record.status() == Status.SUCCEEDED) {
      record.output().print(out);
      out.println();
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
    stderrTail(err, record.stderr(), record.stderrTruncated());
    err.flush();
  }

  /** The last {@link #STDERR_LINES} lines of a run's {@code stderr}, indented, if it has any. */
  static void stderrTail(PrintWriter err, String stderr, boolean truncated) {
    String kept = stderr.stripTrailing();
    if (kept.isEmpty()) {
      return;
    }
    String[] lines = kept.split("\n");
    int from = Math.max(0, lines.length - STDERR_LINES);
    err.println(
        "  --- stderr"
            + (from > 0 || truncated ? " (last " + (lines.length - from) + " lines)" : "")
            + " ---");
    for (int i = from; i < lines.length; i++) {
      err.println("  " + lines[i]);
    }
  }
}
