package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.ScriptGlob;
import dev.stepguard.core.model.Status;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stepguard history list}: recorded runs, newest first, one page at a time. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Lists recorded runs, newest first.",
      "Without --json a table; with --json {\"items\": [summaries], \"nextCursor\": ...}:",
      "a summary has no inputs, output or stderr, only their sizes; 'history show' prints all."
    })
final class HistoryListCommand implements Callable<Integer> {
  static final int DEFAULT_LIMIT = 20;

  @Option(names = "--status", paramLabel = "STATUS", description = "Only runs in this status.")
  Status status;

  @Option(
      names = "--script",
      paramLabel = "GLOB",
      description = "Only scripts matching GLOB (* any text, ? one character).")
  String script;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      converter = TimeConverter.class,
      description = "Runs started at or after TIME: 2026-11-27T09:30:00Z, 2026-11-27, or 2h (ago).")
  Instant since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      converter = TimeConverter.class,
      description = "Runs started before TIME (same forms as --since).")
  Instant until;

  @Option(
      names = "--workflow-run",
      paramLabel = "ID",
      description =
          "Only the steps of this workflow run: its id or its first characters, as 'workflow run'"
              + " prints them.")
  String workflowRun;

  @Option(
      names = "--limit",
      paramLabel = "N",
      converter = WholeNumberConverter.Limit.class,
      description = "At most N runs (1 to 1000, default " + DEFAULT_LIMIT + ").")
  int limit = DEFAULT_LIMIT;

  @Option(
      names = "--cursor",
      paramLabel = "CURSOR",
      description = "Continue after the page that printed this cursor.")
  String cursor;

  @Option(names = "--json", description = "Print the page as JSON.")
  boolean json;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final RuntimeFactory runtimes;

  @Inject
  HistoryListCommand(RuntimeFactory runtimes) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
  }

  @Override
  public Integer call() {
    HistoryFilter filter = filter();
    HistoryQueries history =
        runtimes
            .open(
                projectOptions.root(),
                runtimes.settings(
                    projectOptions.root(), Notices.printedTo(spec.commandLine().getErr())))
            .history();
    if (workflowRun != null) {
      HistoryQueries.WorkflowRunLookup lookup = history.workflowRun(workflowRun);
      if (lookup instanceof HistoryQueries.WorkflowRunLookup.NotFound notFound) {
        spec.commandLine().getErr().println("stepguard: " + notFound.message());
        return ExitCodes.NOT_DONE;
      }
      filter = filter.withWorkflowRun(((HistoryQueries.WorkflowRunLookup.Found) lookup).run().id());
    }
    HistoryPage page = history.list(filter);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("items", page.items());
      body.put("nextCursor", page.next().map(HistoryCursor::encode).orElse(null));
      RecordPrinter.json(out, body);
    } else {
      HistoryPrinter.table(out, page);
    }
    return 0;
  }

  private HistoryFilter filter() {
    try {
      HistoryFilter filter = HistoryFilter.all(limit);
      if (status != null) {
        filter = filter.withStatus(status);
      }
      if (script != null) {
        filter = filter.withScript(new ScriptGlob(script));
      }
      if (since != null) {
        filter = filter.withSince(since);
      }
      if (until != null) {
        filter = filter.withUntil(until);
      }
      if (cursor != null) {
        filter = filter.withAfter(HistoryCursor.decode(cursor));
      }
      return filter;
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
  }
}
