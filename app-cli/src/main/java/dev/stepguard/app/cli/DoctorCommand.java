package dev.stepguard.app.cli;

import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.HealthCheck;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stepguard doctor}: checks what stepguard needs on this host and says how to fix it. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Checks Python, the sandbox and the history store; prints how to fix what is missing.")
final class DoctorCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print the checks as JSON.")
  boolean json;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final RuntimeFactory runtimes;

  @Inject
  DoctorCommand(RuntimeFactory runtimes) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
  }

  @Override
  public Integer call() {
    Settings settings = runtimes.settings(projectOptions.project);
    RuntimeFactory.Runtime runtime = runtimes.open(projectOptions.project, settings);
    List<HealthReport> reports =
        runtime.checks().stream()
            .map(HealthCheck::check)
            .sorted(Comparator.comparing(HealthReport::component))
            .collect(Collectors.toList());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      RecordPrinter.json(out, reports);
    } else {
      out.println("project: " + runtime.projectRoot());
      out.println(
          "isolation: "
              + settings.isolation()
              + (settings.isolation() == IsolationChoice.AUTO
                  ? " (runs use " + runtime.isolation().label() + ")"
                  : ""));
      for (HealthReport report : reports) {
        out.printf(
            "%-4s %-8s %s%n", report.ok() ? "ok" : "FAIL", report.component(), report.detail());
        if (!report.ok()) {
          out.println("              fix: " + report.remedy());
        }
      }
      out.flush();
    }
    return reports.stream().allMatch(HealthReport::ok) ? 0 : 1;
  }
}
