package dev.stepguard.composition;

import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.history.RunRecovery;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.HistoryUnavailableException;
import dev.stepguard.core.port.IdempotencyKeys;
import dev.stepguard.core.port.ProcessLauncher;
import dev.stepguard.core.port.TokenStore;
import dev.stepguard.core.workflow.WorkflowRunner;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The use cases of one project, each built on first use: reading the history builds no launcher and
 * never probes for bubblewrap. Before the history is first used, the runs that a dead stepguard
 * process left RUNNING are closed as ABANDONED, here and nowhere else. Running scripts builds the
 * launcher (probing for bubblewrap and Python) on a thread of its own while this thread opens the
 * history and recovers it: the probes are processes that wait, so a command line that runs one
 * script starts it sooner.
 */
public final class ProjectRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ProjectRuntime.class);

  /** Where the runtime takes its instances from: the project's injectors, hidden behind this. */
  interface Instances {
    /** An instance that reading the history needs (no launcher). */
    <T> T reading(Class<T> type);

    /** An instance that running scripts needs; the launcher is built on the first call. */
    <T> T launching(Class<T> type);

    /** Every health check of the project's adapters. */
    Set<HealthCheck> checks();
  }

  private final Path projectRoot;
  private final Settings settings;
  private final Instances instances;
  private final ExitGuard exitGuard;
  private boolean recovered;
  private boolean launchingAsked;

  ProjectRuntime(Path projectRoot, Settings settings, Instances instances, ExitGuard exitGuard) {
    this.exitGuard = Objects.requireNonNull(exitGuard, "exitGuard");
    this.projectRoot = Objects.requireNonNull(projectRoot, "projectRoot");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.instances = Objects.requireNonNull(instances, "instances");
  }

  /** The project's root directory, absolute and normalized. */
  public Path projectRoot() {
    return projectRoot;
  }

  /** The settings this runtime was opened with. */
  public Settings settings() {
    return settings;
  }

  /**
   * The history's queries, after closing what earlier stepguard processes left RUNNING. A history
   * that cannot be opened is left to the query to report.
   */
  public HistoryQueries history() {
    try {
      recover();
    } catch (HistoryUnavailableException e) {
      LOG.warn("could not look for abandoned runs: {}", e.getMessage());
    }
    return instances.reading(HistoryQueries.class);
  }

  /**
   * The executor of single runs, after closing what earlier stepguard processes left RUNNING.
   *
   * @throws HistoryUnavailableException if the history cannot be opened (after waiting its turn, if
   *     others have it busy): nothing may run then, since the run would be recorded nowhere
   */
  public ScriptExecutor executor() {
    return launchingWhileRecovering(ScriptExecutor.class);
  }

  /**
   * The runner of workflows, after closing what earlier stepguard processes left RUNNING.
   *
   * @throws HistoryUnavailableException as {@link #executor()} does
   */
  public WorkflowRunner workflows() {
    return launchingWhileRecovering(WorkflowRunner.class);
  }

  /**
   * The project's API tokens, kept beside its history (opened as for reading: no launcher, no
   * recovery of abandoned runs).
   */
  public TokenStore tokens() {
    return instances.reading(TokenStore.class);
  }

  /** The Idempotency-Keys of the project's history (opened as for reading, like the tokens). */
  public IdempotencyKeys idempotencyKeys() {
    return instances.reading(IdempotencyKeys.class);
  }

  /** Every health check of the project's adapters: Python, the sandbox, the history. */
  public Set<HealthCheck> checks() {
    return instances.checks();
  }

  /** The isolation level runs actually get ({@code auto} resolved); builds the launcher. */
  public Isolation isolation() {
    return instances.launching(ProcessLauncher.class).isolation();
  }

  /**
   * The launching side's {@code type}, built (and its launcher readied) the first time on a thread
   * of its own while this one recovers the history; later calls (a server's runs) find it built. A
   * failure to recover is thrown before the instance is taken.
   */
  private <T> T launchingWhileRecovering(Class<T> type) {
    if (!firstLaunching()) {
      recover();
      return instances.launching(type);
    }
    FutureTask<T> launching =
        new FutureTask<>(
            () -> {
              T instance = instances.launching(type);
              instances.launching(ProcessLauncher.class).ready();
              return instance;
            });
    Thread builder = new Thread(launching, "stepguard-launcher");
    builder.setDaemon(true);
    builder.start();
    recover();
    try {
      return launching.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      throw new IllegalStateException("the launcher could not be built", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the launcher was built", e);
    }
  }

  private synchronized boolean firstLaunching() {
    boolean first = !launchingAsked;
    launchingAsked = true;
    return first;
  }

  private synchronized void recover() {
    if (!recovered) {
      exitGuard.holding(() -> instances.reading(RunRecovery.class).recover());
      recovered = true;
    }
  }
}
