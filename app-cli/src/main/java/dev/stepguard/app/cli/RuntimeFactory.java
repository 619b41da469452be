package dev.stepguard.app.cli;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.history.RunRecovery;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.HistoryUnavailableException;
import dev.stepguard.core.port.ProcessLauncher;
import dev.stepguard.core.workflow.WorkflowRunner;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the use cases of one project: reads its configuration, then a child injector over it. */
final class RuntimeFactory {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeFactory.class);

  private final Injector parent;
  private final RuntimeModuleFactory modules;
  private final OperatorConfigLocation operatorConfig;
  private final Interrupts interrupts;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @Inject
  RuntimeFactory(
      Injector parent,
      RuntimeModuleFactory modules,
      OperatorConfigLocation operatorConfig,
      Interrupts interrupts) {
    this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
    this.parent = Objects.requireNonNull(parent, "parent");
    this.modules = Objects.requireNonNull(modules, "modules");
    this.operatorConfig = Objects.requireNonNull(operatorConfig, "operatorConfig");
  }

  /**
   * What a command works with.
   *
   * @param isolation the isolation level runs actually get ({@code auto} resolved)
   */
  record Runtime(
      Path projectRoot,
      Settings settings,
      ScriptExecutor executor,
      HistoryQueries history,
      WorkflowRunner workflows,
      RunRecovery recovery,
      Set<HealthCheck> checks,
      Isolation isolation,
      Interrupts interrupts) {

    /**
     * Closes what earlier stepguard processes left RUNNING. A history that cannot be opened is left
     * to the command to report: a run then refuses to start, a history command says why.
     */
    void recover() {
      try {
        recoverHoldingExit();
      } catch (HistoryUnavailableException e) {
        LOG.warn("could not look for abandoned runs: {}", e.getMessage());
      }
    }

    /**
     * The first use of the history, which may create and migrate it: a signal meanwhile ends
     * stepguard only after it (H2 closing the file mid-migration once left a history that every
     * later open refused).
     */
    private void recoverHoldingExit() {
      interrupts.holdingExit(
          () -> {
            recovery.recover();
            return null;
          });
    }

    /**
     * Closes what earlier stepguard processes left RUNNING, before a run starts. A history that
     * cannot be opened (after waiting its turn, if others have it busy) means nothing may run: the
     * run would be recorded nowhere, so this says so on {@code err} and gives the exit code of a
     * launch failure.
     */
    Optional<Integer> recoverOrRefuse(String what, PrintWriter err) {
      try {
        recoverHoldingExit();
        return Optional.empty();
      } catch (HistoryUnavailableException e) {
        err.println(
            "stepguard: "
                + what
                + " was not run, and this attempt is recorded nowhere: "
                + e.getMessage());
        err.println("  run it again once the history opens; 'stepguard doctor' checks it");
        err.flush();
        return Optional.of(ExitCodes.of(Status.LAUNCH_FAILED));
      }
    }
  }

  /** What applies to the project: the operator config, then its {@code stepguard.yaml}. */
  ConfigLoader.ProjectConfig configuration(Path project) {
    return ConfigLoader.load(projectRoot(project), operatorConfig.load());
  }

  /**
   * The project's settings before flags are applied, after printing to {@code err} each key of its
   * {@code stepguard.yaml} that was not applied.
   */
  Settings settings(Path project, PrintWriter err) {
    ConfigLoader.ProjectConfig config = configuration(project);
    config.notices().forEach(notice -> err.println("stepguard: " + notice));
    err.flush();
    return config.settings();
  }

  Runtime open(Path project, Settings settings) {
    Path root = projectRoot(project);
    Injector injector =
        parent.createChildInjector(modules.create(root, settings), new SettingsModule(settings));
    synchronized (opened) {
      opened.addAll(injector.getInstance(Key.get(new TypeLiteral<Set<AutoCloseable>>() {})));
    }
    return new Runtime(
        root,
        settings,
        injector.getInstance(ScriptExecutor.class),
        injector.getInstance(HistoryQueries.class),
        injector.getInstance(WorkflowRunner.class),
        injector.getInstance(RunRecovery.class),
        injector.getInstance(Key.get(new TypeLiteral<Set<HealthCheck>>() {})),
        injector.getInstance(ProcessLauncher.class).isolation(),
        interrupts);
  }

  /** Closes what the runtimes opened (the history), before the command exits. */
  void closeAll() {
    synchronized (opened) {
      for (AutoCloseable closeable : opened) {
        try {
          closeable.close();
        } catch (Exception e) {
          LOG.warn("could not close {}: {}", closeable, e.getMessage());
        }
      }
      opened.clear();
    }
  }

  private static Path projectRoot(Path project) {
    Path root = project.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new UsageError("the project directory " + root + " does not exist");
    }
    return root;
  }
}
