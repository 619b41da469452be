package dev.stepguard.app.cli;

import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepRun;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.model.WorkflowStep;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepguard workflow run FILE}: runs the steps of a workflow file in order. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a workflow's steps in order; each step's output can feed later steps.",
      "Prints a line per step on stderr and the last step's output on stdout;",
      "with --json, the whole workflow run record."
    },
    exitCodeListHeading = "%nExit codes (the status of the step that stopped the run):%n",
    exitCodeList = {
      "0:SUCCEEDED",
      "1:FAILED or CRASHED",
      "2:usage error",
      "3:REJECTED, or an invalid workflow file",
      "4:TIMED_OUT",
      "5:INVALID_OUTPUT or LIMIT_EXCEEDED",
      "6:LAUNCH_FAILED",
      "130:CANCELLED by Ctrl-C (SIGINT)",
      "143:CANCELLED by SIGTERM"
    })
final class WorkflowRunCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "The workflow file, relative to the project (or absolute).")
  Path file;

  @Option(
      names = "--input",
      paramLabel = "JSON",
      description = "The workflow's input object (default {}).")
  String input = "{}";

  @Mixin IsolationOption isolation;

  @Option(names = "--json", description = "Print the whole workflow run record as JSON.")
  boolean json;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final RuntimeFactory runtimes;
  private final Interrupts interrupts;

  @Inject
  WorkflowRunCommand(RuntimeFactory runtimes, Interrupts interrupts) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
    this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
  }

  @Override
  public Integer call() {
    Settings settings =
        isolation.applyTo(
            runtimes.settings(
                projectOptions.root(), Notices.printedTo(spec.commandLine().getErr())));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Workflow> workflow =
        WorkflowFiles.read(
            Path.of(projectOptions.inProject(file.toString())),
            projectOptions.root(),
            settings,
            err);
    if (workflow.isEmpty()) {
      return WorkflowFiles.INVALID;
    }
    ProjectRuntime runtime = runtimes.open(projectOptions.root(), settings);
    Optional<Integer> refused = Unrecorded.refusal(runtime::workflows, file.toString(), err);
    if (refused.isPresent()) {
      return refused.get();
    }
    return interrupts.during(
        cancellation -> {
          WorkflowRun run =
              runtime
                  .workflows()
                  .run(
                      workflow.get(),
                      input,
                      settings.stepSettings(),
                      System.getenv(),
                      Requester.cli(System.getProperty("user.name", "unknown")),
                      cancellation);
          if (json) {
            RecordPrinter.jsonInProject(out, run, projectOptions.root());
          } else {
            summary(err, workflow.get(), run);
            failedStepsStderr(err, runtime, run);
            if (run.status() == Status.SUCCEEDED) {
              if (run.output() == null) {
                out.print("{}");
              } else {
                Printable.write(Printable.jsonWriter(), run.output(), out);
              }
              out.println();
              out.flush();
            }
          }
          return ExitCodes.of(run.status(), interrupts.signalDuringRun());
        });
  }

  /** The stderr tail of the step that stopped {@code run}, as {@code stepguard run} shows it. */
  private static void failedStepsStderr(PrintWriter err, ProjectRuntime runtime, WorkflowRun run) {
    run.steps().stream()
        .filter(step -> step.status() != Status.SUCCEEDED && step.executionId() != null)
        .map(step -> runtime.history().show(step.executionId().value()))
        .flatMap(
            found ->
                found instanceof HistoryQueries.Lookup.Found record
                    ? Stream.of(record.record())
                    : Stream.empty())
        .forEach(
            record -> RecordPrinter.stderrTail(err, record.stderr(), record.stderrTruncated()));
    err.flush();
  }

  private static void summary(PrintWriter err, Workflow workflow, WorkflowRun run) {
    err.printf(
        "workflow %s (%s), run %s: %s in %d ms%n",
        workflow.name(),
        workflow.file(),
        run.id().substring(0, 8),
        run.status(),
        Duration.between(run.startedAt(), run.finishedAt()).toMillis());
    for (WorkflowStep step : workflow.steps()) {
      Optional<StepRun> ran =
          run.steps().stream().filter(s -> s.id().equals(step.id())).findFirst();
      err.printf(
          "  %-16s %-14s %s%n",
          step.id(),
          ran.map(s -> s.status().name()).orElse("not run"),
          ran.map(StepRun::executionId).map(id -> "history show " + id.shortForm()).orElse(""));
    }
    if (run.error() != null) {
      err.println("stepguard: " + run.error().message());
    }
    err.flush();
  }
}
