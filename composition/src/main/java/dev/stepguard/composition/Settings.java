package dev.stepguard.composition;

import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.StepSettings;
import dev.stepguard.core.model.WorkflowAllowance;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The effective configuration of one command: defaults, then {@code stepguard.yaml}, then flags.
 *
 * @param python the interpreter: a command looked up on the PATH, or a path
 * @param pythonPath project directories, relative to the project root, that scripts import from (on
 *     {@code sys.path} after the script's own directory)
 * @param isolation the isolation asked for ({@code auto} is resolved when a launcher is built)
 * @param timeout the wall-clock limit of a run
 * @param grace how long a script has after SIGTERM before SIGKILL
 * @param cpuTimeMs the configured CPU limit, or 0 to follow the timeout
 * @param baseLimits the resource limits of a run (its CPU limit follows the timeout unless set)
 * @param writable project directories that sandboxed scripts may write to
 * @param history where runs are recorded and how long they are kept
 * @param maxTimeout the longest timeout a workflow step may ask for
 * @param envAllow host environment variables that workflow steps may name in {@code env}
 * @param http how {@code stepguard-server} listens and how many runs it takes
 * @param warm whether {@code process} isolation runs take warm interpreters (operator only)
 */
public record Settings(
    String python,
    List<String> pythonPath,
    IsolationChoice isolation,
    Duration timeout,
    Duration grace,
    long cpuTimeMs,
    Limits baseLimits,
    List<String> writable,
    HistoryOptions history,
    Duration maxTimeout,
    Set<String> envAllow,
    HttpOptions http,
    WarmOptions warm) {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);
  static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofHours(1);

  /** Checks that every setting is given; copies the lists. */
  public Settings {
    Objects.requireNonNull(python, "python");
    pythonPath = List.copyOf(Objects.requireNonNull(pythonPath, "pythonPath"));
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(baseLimits, "baseLimits");
    writable = List.copyOf(Objects.requireNonNull(writable, "writable"));
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(maxTimeout, "maxTimeout");
    envAllow = Set.copyOf(Objects.requireNonNull(envAllow, "envAllow"));
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(warm, "warm");
  }

  /** stepguard's defaults, before any configuration file. */
  public static Settings defaults() {
    return new Settings(
        "python3",
        List.of(),
        IsolationChoice.AUTO,
        DEFAULT_TIMEOUT,
        DEFAULT_GRACE,
        0,
        Limits.defaults(DEFAULT_TIMEOUT.toMillis()),
        List.of(),
        HistoryOptions.defaults(),
        DEFAULT_MAX_TIMEOUT,
        Set.of(),
        HttpOptions.defaults(),
        WarmOptions.defaults());
  }

  /**
   * The limits of a run with this timeout. Unless configured, the CPU limit is the timeout plus the
   * grace period: a single-threaded busy loop then always meets the wall clock first (TIMED_OUT),
   * while threads that burn CPU faster than the clock runs meet the CPU limit (LIMIT_EXCEEDED).
   */
  public Limits limitsFor(Duration runTimeout) {
    return stepSettings().limitsFor(runTimeout);
  }

  /** What a workflow step gets where the workflow says nothing. */
  public StepSettings stepSettings() {
    return new StepSettings(timeout, grace, baseLimits, cpuTimeMs);
  }

  /**
   * What a workflow file may ask for: a timeout up to {@code maxTimeout}, limits up to these, CPU
   * time up to the configured CPU limit or, where it follows the timeout, the longest timeout plus
   * the grace period.
   */
  public WorkflowAllowance workflowAllowance() {
    long cpuCeiling = cpuTimeMs > 0 ? cpuTimeMs : maxTimeout.plus(grace).toMillis();
    return new WorkflowAllowance(maxTimeout, baseLimits.withCpuTimeMs(cpuCeiling), envAllow);
  }

  /** These settings with another timeout, as a flag gives it. */
  public Settings withTimeout(Duration value) {
    return new Settings(
        python,
        pythonPath,
        isolation,
        value,
        grace,
        cpuTimeMs,
        baseLimits,
        writable,
        history,
        maxTimeout,
        envAllow,
        http,
        warm);
  }

  /** These settings with another isolation choice, as a flag gives it. */
  public Settings withIsolation(IsolationChoice value) {
    return new Settings(
        python,
        pythonPath,
        value,
        timeout,
        grace,
        cpuTimeMs,
        baseLimits,
        writable,
        history,
        maxTimeout,
        envAllow,
        http,
        warm);
  }

  /**
   * These settings as {@code stepguard-server} runs them: warm interpreters on unless the operator
   * config turned them off.
   */
  public Settings forServer() {
    return new Settings(
        python,
        pythonPath,
        isolation,
        timeout,
        grace,
        cpuTimeMs,
        baseLimits,
        writable,
        history,
        maxTimeout,
        envAllow,
        http,
        warm.onUnlessOff());
  }
}
