package dev.stepguard.app.http;

import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Quantities;
import dev.stepguard.core.model.ResourceUsage;
import dev.stepguard.core.model.Status;
import java.util.ArrayList;
import java.util.List;

/** A run's page, in words: everything its audit record holds. */
final class RunPage {
  private RunPage() {}

  static Pages.Run of(ExecutionRecord record, Sessions.Session session, boolean cancellable) {
    boolean live = record.status() == Status.RUNNING;
    String workflow = record.workflowRunId();
    return new Pages.Run(
        session,
        record.id().value(),
        record.status().name() + (record.queued() ? " (queued)" : ""),
        StatusWords.css(record.status()),
        StatusWords.meaning(record.status()),
        record.script(),
        live,
        live && cancellable && session.caller().mayRun(),
        facts(record),
        PageText.json(record.inputs()),
        PageText.json(record.output()),
        record.stderr(),
        record.stderrTruncated(),
        record.error() == null ? null : record.error().code() + ": " + record.error().message(),
        workflow == null ? null : "/workflow-runs/" + workflow);
  }

  private static List<Pages.Fact> facts(ExecutionRecord record) {
    List<Pages.Fact> facts = new ArrayList<>();
    facts.add(Pages.Fact.of("Script SHA-256", orDash(record.scriptSha256())));
    facts.add(
        Pages.Fact.of(
            "Exit code", record.exitCode() == null ? "-" : String.valueOf(record.exitCode())));
    facts.add(Pages.Fact.of("Signal", orDash(record.signal())));
    facts.add(Pages.Fact.of("Ended by stepguard with", orDash(record.endedBy())));
    if (record.cancelledBy() != null) {
      facts.add(
          Pages.Fact.of(
              "Cancelled by",
              record.cancelledBy().cause()
                  + ", "
                  + PageText.requester(record.cancelledBy().requester())));
    }
    facts.add(Pages.Fact.time(record.queued() ? "Accepted" : "Started", record.startedAt()));
    facts.add(Pages.Fact.time("Finished", record.finishedAt()));
    facts.add(
        Pages.Fact.of(
            "Duration",
            record.status() == Status.RUNNING ? "-" : PageText.duration(record.durationMs())));
    facts.add(Pages.Fact.of("Timeout", PageText.duration(record.timeoutMs())));
    facts.add(Pages.Fact.of("Isolation", record.isolation().label()));
    facts.add(
        Pages.Fact.of(
            "Interpreter",
            record.interpreter() == null
                ? "-"
                : record.interpreter().path()
                    + " (Python "
                    + record.interpreter().version()
                    + ")"));
    facts.add(Pages.Fact.of("Limits", limits(record.limits())));
    facts.add(Pages.Fact.of("Used", usage(record.usage())));
    facts.add(Pages.Fact.of("Asked by", PageText.requester(record.requestedBy())));
    facts.add(
        Pages.Fact.of(
            "Input / output",
            Quantities.bytesText(record.inputBytes())
                + " / "
                + Quantities.bytesText(record.outputBytes())));
    if (record.stepId() != null) {
      facts.add(Pages.Fact.of("Workflow step", record.stepId()));
    }
    return facts;
  }

  private static String limits(Limits limits) {
    return "CPU "
        + PageText.duration(limits.cpuTimeMs())
        + ", memory "
        + Quantities.bytesText(limits.memoryBytes())
        + ", file size "
        + Quantities.bytesText(limits.fileSizeBytes())
        + ", open files "
        + limits.openFiles()
        + ", processes "
        + limits.processes()
        + ", stdout "
        + Quantities.bytesText(limits.stdoutBytes())
        + ", stderr tail "
        + Quantities.bytesText(limits.stderrTailBytes())
        + ", input "
        + Quantities.bytesText(limits.inputBytes())
        + ", JSON depth "
        + limits.jsonDepth()
        + ", /tmp "
        + Quantities.bytesText(limits.tmpBytes());
  }

  private static String usage(ResourceUsage usage) {
    return "CPU "
        + (usage.cpuMs() < 0 ? "unknown" : PageText.duration(usage.cpuMs()))
        + ", peak memory "
        + (usage.maxRssKib() < 0 ? "unknown" : Quantities.bytesText(usage.maxRssKib() * 1024));
  }

  private static String orDash(String text) {
    return text == null ? "-" : text;
  }
}
