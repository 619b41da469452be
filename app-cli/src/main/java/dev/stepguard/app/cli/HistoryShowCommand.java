package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.WorkflowRun;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.Optional;
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
      "Given the full id of a workflow run, shows that run's record as JSON."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the run was found", "1:no run has this id", "2:usage error"})
final class HistoryShowCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ID",
      description =
          "The run's id, or its first characters as 'history list' shows them; or a workflow run's id.")
  String id;

  @Option(names = "--json", description = "Print the whole execution record as JSON.")
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
    Optional<WorkflowRun> workflowRun =
        lookup instanceof HistoryQueries.Lookup.NotFound
            ? history.workflowRun(id)
            : Optional.empty();
    if (workflowRun.isPresent()) {
      RecordPrinter.json(spec.commandLine().getOut(), workflowRun.get());
      return 0;
    }
    if (lookup instanceof HistoryQueries.Lookup.NotFound notFound) {
      spec.commandLine().getErr().println("stepguard: " + notFound.message());
      return ExitCodes.NOT_DONE;
    }
    PrintWriter out = spec.commandLine().getOut();
    HistoryQueries.Lookup.Found found = (HistoryQueries.Lookup.Found) lookup;
    if (json) {
      RecordPrinter.json(out, found.record());
    } else {
      HistoryPrinter.record(out, found.record());
    }
    return 0;
  }
}
