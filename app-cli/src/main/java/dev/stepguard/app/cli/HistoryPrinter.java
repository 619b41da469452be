package dev.stepguard.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionSummary;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.StepRun;
import dev.stepguard.core.model.WorkflowRun;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The history for people: a table of runs, and one run as labelled lines. */
final class HistoryPrinter {
  static final int SCRIPT_WIDTH = 36;

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private HistoryPrinter() {}

  static void table(PrintWriter out, HistoryPage page) {
    if (page.items().isEmpty()) {
      out.println("no runs match");
      out.flush();
      return;
    }
    String row = "%-14s  %-" + SCRIPT_WIDTH + "s  %-20s  %10s  %s%n";
    out.printf(row, "STATUS", "SCRIPT", "STARTED", "DURATION", "ID");
    for (ExecutionSummary record : page.items()) {
      out.printf(
          row,
          record.status(),
          fit(Printable.safe(record.script())),
          WHEN.format(record.startedAt()),
          record.finishedAt() == null ? "-" : record.durationMs() + " ms",
          record.id().shortForm());
    }
    page.next()
        .ifPresent(
            next -> out.println("more runs: add --cursor " + next.encode() + " for the next page"));
    out.flush();
  }

  static void record(PrintWriter out, ExecutionRecord r) {
    line(out, "id", r.id().value());
    line(
        out,
        "status",
        r.queued()
            ? r.status().name() + " (queued: accepted by the server, its script not started yet)"
            : r.status().name());
    line(out, "script", r.script());
    if (r.error() != null) {
      line(out, "error", r.error().message());
    }
    line(out, r.queued() ? "accepted" : "started", WHEN.format(r.startedAt()));
    line(out, "finished", r.finishedAt() == null ? "-" : WHEN.format(r.finishedAt()));
    line(out, "duration", r.durationMs() + " ms (timeout " + r.timeoutMs() + " ms)");
    if (r.exitCode() != null) {
      line(out, "exit code", String.valueOf(r.exitCode()));
    }
    if (r.signal() != null) {
      line(out, "signal", r.signal());
    }
    if (r.endedBy() != null) {
      line(out, "ended by", r.endedBy());
    }
    if (r.cancelledBy() != null) {
      line(
          out,
          "cancelled by",
          r.cancelledBy().cause()
              + " ("
              + r.cancelledBy().requester().channel().label()
              + " "
              + r.cancelledBy().requester().name()
              + ")");
    }
    line(out, "isolation", r.isolation().label());
    if (r.interpreter() != null) {
      line(
          out,
          "interpreter",
          r.interpreter().path() + " (Python " + r.interpreter().version() + ")");
    }
    if (r.scriptSha256() != null) {
      line(out, "script sha256", r.scriptSha256());
    }
    line(
        out,
        "requested by",
        r.requestedBy().name() + " (" + r.requestedBy().channel().label() + ")");
    if (r.process() != null) {
      line(out, "process", process(r.process()));
    }
    if (r.supervisor() != null) {
      line(out, "stepguard", process(r.supervisor()));
    }
    if (r.workflowRunId() != null) {
      line(out, "workflow run", r.workflowRunId() + " step " + r.stepId());
    }
    line(out, "sizes", "input " + r.inputBytes() + " bytes, output " + r.outputBytes() + " bytes");
    line(out, "inputs", json(r.inputs()));
    line(out, "output", json(r.output()));
    String stderr = r.stderr().stripTrailing();
    if (!stderr.isEmpty()) {
      out.println("--- stderr" + (r.stderrTruncated() ? " (last part)" : "") + " ---");
      out.println(Printable.safe(stderr));
    }
    out.flush();
  }

  static void workflowRun(PrintWriter out, WorkflowRun r) {
    line(out, "workflow run", r.id());
    line(out, "status", r.status().name());
    line(out, "workflow", r.name() + " (" + r.workflow() + ")");
    if (r.failedStep() != null) {
      line(out, "failed step", r.failedStep());
    }
    if (r.error() != null) {
      line(out, "error", r.error().message());
    }
    line(out, "started", WHEN.format(r.startedAt()));
    line(out, "finished", r.finishedAt() == null ? "-" : WHEN.format(r.finishedAt()));
    if (r.finishedAt() != null) {
      line(out, "duration", Duration.between(r.startedAt(), r.finishedAt()).toMillis() + " ms");
    }
    line(out, "workflow sha256", r.workflowSha256());
    line(
        out,
        "requested by",
        r.requestedBy().name() + " (" + r.requestedBy().channel().label() + ")");
    if (r.supervisor() != null) {
      line(out, "stepguard", process(r.supervisor()));
    }
    line(out, "inputs", json(r.inputs()));
    line(out, "output", json(r.output()));
    if (r.steps().isEmpty()) {
      line(out, "steps", "none ran");
    } else {
      out.println("steps:");
      for (StepRun step : r.steps()) {
        out.printf(
            "  %-16s %-14s %s%n",
            Printable.safe(step.id()),
            step.status().name(),
            step.executionId() == null
                ? "refused before it ran; the error above says why"
                : "history show " + step.executionId().shortForm());
      }
    }
    out.flush();
  }

  /** A duration in the largest unit that states it exactly: 30d, 12h, 90m, 45s, 500ms. */
  static String duration(Duration value) {
    long ms = value.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (ms % sizes[i] == 0) {
        return ms / sizes[i] + units[i];
      }
    }
    return ms + "ms";
  }

  private static String process(ProcessIdentity process) {
    return "pid "
        + process.pid()
        + " on "
        + process.host()
        + ", started "
        + WHEN.format(process.startedAt());
  }

  private static String fit(String script) {
    return script.length() <= SCRIPT_WIDTH
        ? script
        : "…" + script.substring(script.length() - SCRIPT_WIDTH + 1);
  }

  private static String json(JsonNode node) {
    if (node == null) {
      return "null";
    }
    try {
      return Printable.jsonWriter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return node.toString();
    }
  }

  private static void line(PrintWriter out, String label, String value) {
    out.printf("%-14s %s%n", label + ":", Printable.safe(value));
  }
}
