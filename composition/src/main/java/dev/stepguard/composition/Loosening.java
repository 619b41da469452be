package dev.stepguard.composition;

import dev.stepguard.core.model.LimitOverrides;
import dev.stepguard.core.model.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps an untrusted project file from loosening what the operator allows: each of its settings
 * that would run something else on the host, weaken isolation, widen what a script may do or send
 * data elsewhere is left out; what only tightens applies.
 */
final class Loosening {
  /**
   * The settings that apply, and the keys left out.
   *
   * @param refused the dotted names of the keys that were not applied, in file order
   */
  record Merged(Settings settings, List<String> refused) {}

  private final Settings operator;
  private final Settings project;
  private final Path projectRoot;
  private final List<String> refused = new ArrayList<>();

  private Loosening(Settings operator, Settings project, Path projectRoot) {
    this.operator = Objects.requireNonNull(operator, "operator");
    this.project = Objects.requireNonNull(project, "project");
    this.projectRoot = Objects.requireNonNull(projectRoot, "projectRoot");
  }

  /**
   * {@code project} (operator settings with the file applied) less what loosens {@code operator}.
   */
  static Merged merge(Settings operator, Settings project, Path projectRoot) {
    return new Loosening(operator, project, projectRoot).merge();
  }

  private Merged merge() {
    String python =
        keep(
            "python",
            !project.python().equals(operator.python()) && !projectVenvOfOperatorPython(),
            Settings::python);
    IsolationChoice isolation =
        keep(
            "isolation",
            strength(project.isolation()) < strength(operator.isolation()),
            Settings::isolation);
    Duration timeout =
        keep("timeout", project.timeout().compareTo(operator.maxTimeout()) > 0, Settings::timeout);
    Duration grace =
        keep("grace", project.grace().compareTo(operator.grace()) > 0, Settings::grace);
    long cpuCeiling = operator.workflowAllowance().ceiling().cpuTimeMs();
    long cpuTimeMs = keep("limits.cpuTime", project.cpuTimeMs() > cpuCeiling, Settings::cpuTimeMs);
    Limits ignoringCpu = project.baseLimits().withCpuTimeMs(operator.baseLimits().cpuTimeMs());
    LimitOverrides.above(ignoringCpu, operator.baseLimits())
        .forEach(n -> refused.add("limits." + n));
    Limits limits = LimitOverrides.lowest(ignoringCpu, operator.baseLimits());
    List<String> writable =
        keep(
            "sandbox.writable",
            !operator.writable().containsAll(project.writable()),
            Settings::writable);
    Duration maxTimeout =
        keep(
            "maxTimeout",
            project.maxTimeout().compareTo(operator.maxTimeout()) > 0,
            Settings::maxTimeout);
    var envAllow =
        keep("env.allow", !operator.envAllow().containsAll(project.envAllow()), Settings::envAllow);
    return new Merged(
        new Settings(
            python,
            // only directories of the project, which the script could read anyway: never looser
            project.pythonPath(),
            isolation,
            timeout,
            grace,
            cpuTimeMs,
            limits,
            writable,
            history(operator.history(), project.history()),
            maxTimeout,
            envAllow,
            http(operator.http(), project.http()),
            keep("warm", !project.warm().equals(operator.warm()), Settings::warm)),
        List.copyOf(refused));
  }

  /**
   * Whether the project names a venv of its own whose {@code python} links to the operator's
   * interpreter: it runs that same binary. A path outside the project is another matter: it would
   * make the sandbox mount a host directory.
   */
  private boolean projectVenvOfOperatorPython() {
    return project.python().startsWith("/")
        && Path.of(project.python()).normalize().startsWith(projectRoot)
        && InterpreterFiles.same(project.python(), operator.python());
  }

  private HistoryOptions history(HistoryOptions allowed, HistoryOptions wanted) {
    boolean shorter =
        wanted.retention().isPresent()
            && (allowed.retention().isEmpty()
                || wanted.retention().get().compareTo(allowed.retention().get()) < 0);
    return new HistoryOptions(
        pick("history.url", !wanted.url().equals(allowed.url()), allowed.url(), wanted.url()),
        pick(
            "history.credentials",
            !wanted.credentials().equals(allowed.credentials()),
            allowed.credentials(),
            wanted.credentials()),
        wanted.redact(),
        pick("history.retention", shorter, allowed.retention(), wanted.retention()),
        pick("history.keep", wanted.keep() < allowed.keep(), allowed.keep(), wanted.keep()));
  }

  /**
   * A project file may not change where the server listens (address and port: who can reach it, and
   * which port it takes from other services), nor take more runs, a longer queue or a longer drain
   * than the operator allows.
   */
  private HttpOptions http(HttpOptions allowed, HttpOptions wanted) {
    return new HttpOptions(
        pick("http.bind", !wanted.bind().equals(allowed.bind()), allowed.bind(), wanted.bind()),
        pick("http.port", wanted.port() != allowed.port(), allowed.port(), wanted.port()),
        pick("http.slots", wanted.slots() > allowed.slots(), allowed.slots(), wanted.slots()),
        pick("http.queue", wanted.queue() > allowed.queue(), allowed.queue(), wanted.queue()),
        pick(
            "http.drain",
            wanted.drain().compareTo(allowed.drain()) > 0,
            allowed.drain(),
            wanted.drain()));
  }

  private <T> T keep(String key, boolean loosens, java.util.function.Function<Settings, T> value) {
    return pick(key, loosens, value.apply(operator), value.apply(project));
  }

  private <T> T pick(String key, boolean loosens, T allowed, T wanted) {
    if (loosens) {
      refused.add(key);
      return allowed;
    }
    return wanted;
  }

  /** process, then auto (which may fall back to process), then sandbox. */
  private static int strength(IsolationChoice choice) {
    return switch (choice) {
      case PROCESS -> 0;
      case AUTO -> 1;
      case SANDBOX -> 2;
    };
  }
}
