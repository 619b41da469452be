package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.core.history.HistoryQueries;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepguard history show ID}: one run's whole record. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Shows one recorded run: its status, error, stderr tail, inputs and output.",
      "Given a workflow run's id (or its first characters), shows that workflow run and its steps."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the run was found", "1:no run has this id", "2:usage error"})
final class HistoryShowCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ID",
      description =
          "The id of a run or a workflow run, or its first characters as 'history list' and 'workflow run' show them.")
  String id;

  @Option(names = "--json", description = "Print the whole record as JSON.")
  boolean json;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final RuntimeFactory runtimes;

  @Inject
  HistoryShowCommand(RuntimeFactory runtimes) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
  }

  @Override
  public Integer call() {
    HistoryQueries history =
        runtimes
            .open(
                projectOptions.root(),
                runtimes.settings(
                    projectOptions.root(), Notices.printedTo(spec.commandLine().getErr())))
            .history();
    HistoryQueries.Lookup lookup = history.show(id);
    PrintWriter out = spec.commandLine().getOut();
    if (lookup instanceof HistoryQueries.Lookup.NotFound notFound) {
      spec.commandLine().getErr().println("stepguard: " + notFound.message());
      return ExitCodes.NOT_DONE;
    }
    if (lookup instanceof HistoryQueries.Lookup.FoundWorkflowRun found) {
      if (json) {
        RecordPrinter.jsonInProject(out, found.run(), projectOptions.root());
      } else {
        HistoryPrinter.workflowRun(out, found.run());
      }
      return 0;
    }
    HistoryQueries.Lookup.Found found = (HistoryQueries.Lookup.Found) lookup;
    if (json) {
      RecordPrinter.jsonInProject(out, found.record(), projectOptions.root());
    } else {
      HistoryPrinter.record(out, found.record());
    }
    return 0;
  }
}
