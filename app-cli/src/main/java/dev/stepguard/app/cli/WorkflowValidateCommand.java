package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowStep;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stepguard workflow validate FILE}: every problem of a workflow file, or that it is fine.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Checks a workflow file without running it; prints each problem as FILE:LINE:COLUMN.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the file is valid", "2:usage error", "3:the file has problems"})
final class WorkflowValidateCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The workflow file, relative to the project (or absolute).")
  Path file;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final RuntimeFactory runtimes;

  @Inject
  WorkflowValidateCommand(RuntimeFactory runtimes) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
  }

  @Override
  public Integer call() {
    Settings settings =
        runtimes.settings(projectOptions.root(), Notices.printedTo(spec.commandLine().getErr()));
    Optional<Workflow> workflow =
        WorkflowFiles.read(
            Path.of(projectOptions.inProject(file.toString())),
            projectOptions.root(),
            settings,
            spec.commandLine().getErr());
    if (workflow.isEmpty()) {
      return WorkflowFiles.INVALID;
    }
    spec.commandLine()
        .getOut()
        .printf(
            "%s: valid workflow '%s', %d step%s: %s%n",
            Printable.safe(String.valueOf(workflow.get().file())),
            Printable.safe(workflow.get().name()),
            workflow.get().steps().size(),
            workflow.get().steps().size() == 1 ? "" : "s",
            workflow.get().steps().stream()
                .map(WorkflowStep::id)
                .map(Printable::safe)
                .collect(Collectors.joining(", ")));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
