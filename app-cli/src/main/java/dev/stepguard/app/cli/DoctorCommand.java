package dev.stepguard.app.cli;

import dev.stepguard.composition.IsolationChoice;
import dev.stepguard.composition.ProjectConfig;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.HealthCheck;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  private final Interrupts interrupts;

  @Inject
  DoctorCommand(RuntimeFactory runtimes, Interrupts interrupts) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
    this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
  }

  @Override
  public Integer call() {
    Path root = projectOptions.root();
    ProjectConfig config = runtimes.configuration(root);
    Settings settings = config.settings();
    ProjectRuntime runtime = runtimes.open(root, settings);
    List<HealthReport> reports =
        interrupts.holdingExit(
            () ->
                runtime.checks().stream()
                    .map(HealthCheck::check)
                    .sorted(Comparator.comparing(HealthReport::component))
                    .collect(Collectors.toList()));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      RecordPrinter.json(out, asJson(config, runtime, reports));
    } else {
      out.println(
          Printable.safe("project: " + runtime.projectRoot() + " (" + projectOptions.how() + ")"));
      out.println(
          Printable.safe(
              "operator config: "
                  + config.operatorFile().map(Path::toString).orElse("none (no HOME)")
                  + config
                      .operatorFile()
                      .filter(Files::isRegularFile)
                      .map(f -> "")
                      .orElse(" (absent)")));
      out.println(Printable.safe("stepguard.yaml: " + trust(config)));
      config.notices().forEach(notice -> out.println("  " + Printable.safe(notice)));
      out.println(Printable.safe("interpreter: " + settings.python()));
      if (!settings.pythonPath().isEmpty()) {
        out.println(Printable.safe("pythonPath: " + String.join(", ", settings.pythonPath())));
      }
      out.println(
          "isolation: "
              + settings.isolation()
              + (settings.isolation() == IsolationChoice.AUTO
                  ? " (runs use " + runtime.isolation().label() + ")"
                  : ""));
      for (HealthReport report : reports) {
        out.printf(
            "%-4s %-8s %s%n",
            report.ok() ? "ok" : "FAIL", report.component(), Printable.safe(report.detail()));
        if (!report.ok()) {
          out.println("              fix: " + Printable.safe(report.remedy()));
        }
      }
      out.flush();
    }
    return reports.stream().allMatch(HealthReport::ok) ? 0 : 1;
  }

  /** What {@code --json} prints: the project, what is in effect, then the checks. */
  private Map<String, Object> asJson(
      ProjectConfig config, ProjectRuntime runtime, List<HealthReport> reports) {
    Settings settings = config.settings();
    Map<String, Object> project = new LinkedHashMap<>();
    project.put("root", runtime.projectRoot().toString());
    project.put("chosen", projectOptions.how());
    Map<String, Object> isolation = new LinkedHashMap<>();
    isolation.put("configured", settings.isolation().name().toLowerCase(Locale.ROOT));
    isolation.put("runsUse", runtime.isolation().label());
    Map<String, Object> operator = new LinkedHashMap<>();
    operator.put("file", config.operatorFile().map(Path::toString).orElse(null));
    operator.put("present", config.operatorFile().filter(Files::isRegularFile).isPresent());
    Map<String, Object> projectFile = new LinkedHashMap<>();
    projectFile.put("file", runtime.projectRoot().resolve("stepguard.yaml").toString());
    projectFile.put("present", config.trust() != ProjectConfig.Trust.NO_FILE);
    projectFile.put("trust", config.trust().name().toLowerCase(Locale.ROOT));
    projectFile.put("notApplied", config.notices());
    Map<String, Object> files = new LinkedHashMap<>();
    files.put("operator", operator);
    files.put("project", projectFile);
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("project", project);
    all.put("isolation", isolation);
    all.put("interpreter", settings.python());
    all.put("pythonPath", settings.pythonPath());
    all.put("config", files);
    all.put("checks", reports);
    return all;
  }

  private static String trust(ProjectConfig config) {
    return switch (config.trust()) {
      case NO_FILE -> "none";
      case TRUSTED -> "trusted by the operator: applied whole";
      case CHANGED -> "changed since the operator trusted it: applied where it tightens only";
      case UNTRUSTED ->
          config.notices().isEmpty()
              ? "not trusted, and it loosens nothing: applied whole"
              : "not trusted: applied where it tightens only; not applied:";
    };
  }
}
