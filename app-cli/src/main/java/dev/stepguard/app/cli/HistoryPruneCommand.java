package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.Settings;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stepguard history prune}: deletes old runs, always keeping the newest ones. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = {
      "Deletes finished runs older than the given age, keeping the newest N whatever their age.",
      "Defaults come from history.retention and history.keep in the operator config.",
      "Runs still RUNNING are never deleted."
    })
final class HistoryPruneCommand implements Callable<Integer> {
  @Option(
      names = "--older-than",
      paramLabel = "DURATION",
      converter = AgeConverter.class,
      description = "Delete runs that started longer ago than this, e.g. 30d, 12h.")
  Duration olderThan;

  @Option(
      names = "--keep",
      paramLabel = "N",
      converter = WholeNumberConverter.Keep.class,
      description = "Always keep the N newest runs (default history.keep, or 100).")
  Integer keep;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final RuntimeFactory runtimes;

  @Inject
  HistoryPruneCommand(RuntimeFactory runtimes) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
  }

  @Override
  public Integer call() {
    Settings settings =
        runtimes.settings(projectOptions.root(), Notices.printedTo(spec.commandLine().getErr()));
    Duration age =
        olderThan != null
            ? olderThan
            : settings
                .history()
                .retention()
                .orElseThrow(
                    () ->
                        new UsageError(
                            "say how old runs must be to go: --older-than 30d, or"
                                + " history.retention in the operator config"));
    int kept = keep != null ? keep : settings.history().keep();
    if (kept < 0) {
      throw new UsageError("--keep must not be negative");
    }
    long deleted = runtimes.open(projectOptions.root(), settings).history().prune(age, kept);
    spec.commandLine()
        .getOut()
        .printf(
            "deleted %d run%s that started more than %s ago (the newest %d are always kept)%n",
            deleted, deleted == 1 ? "" : "s", HistoryPrinter.duration(age), kept);
    return 0;
  }
}
