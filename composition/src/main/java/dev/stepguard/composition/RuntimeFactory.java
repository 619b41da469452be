package dev.stepguard.composition;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.stepguard.core.port.HealthCheck;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds what an entry point works with for one project: its configuration, then its {@link
 * ProjectRuntime}, a child injector over the adapters that {@link RuntimeModuleFactory} chooses.
 * Bound by {@link CompositionModule}; one per entry point process.
 */
public final class RuntimeFactory {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeFactory.class);

  private final Injector parent;
  private final RuntimeModuleFactory modules;
  private final OperatorConfigLocation operatorConfig;
  private final ExitGuard exitGuard;
  private final List<AutoCloseable> opened = new ArrayList<>();

  @Inject
  RuntimeFactory(
      Injector parent,
      RuntimeModuleFactory modules,
      OperatorConfigLocation operatorConfig,
      ExitGuard exitGuard) {
    this.exitGuard = Objects.requireNonNull(exitGuard, "exitGuard");
    this.parent = Objects.requireNonNull(parent, "parent");
    this.modules = Objects.requireNonNull(modules, "modules");
    this.operatorConfig = Objects.requireNonNull(operatorConfig, "operatorConfig");
  }

  /**
   * What applies to the project: the operator config, then its {@code stepguard.yaml}.
   *
   * @throws ConfigurationException if the project directory does not exist or a file is invalid
   */
  public ProjectConfig configuration(Path project) {
    return ConfigLoader.load(projectRoot(project), operatorConfig.load());
  }

  /**
   * The project's settings before flags are applied, after handing {@code notices} each key of its
   * {@code stepguard.yaml} that was not applied.
   *
   * @throws ConfigurationException if the project directory does not exist or a file is invalid
   */
  public Settings settings(Path project, Consumer<String> notices) {
    ProjectConfig config = configuration(project);
    config.notices().forEach(notices);
    return config.settings();
  }

  /**
   * The runtime of the project with these settings. Nothing is started or opened here: the history
   * opens, and the launcher is built, when the runtime is first asked for them.
   *
   * @throws ConfigurationException if the project directory does not exist
   */
  public ProjectRuntime open(Path project, Settings settings) {
    Path root = projectRoot(project);
    Injector history =
        parent.createChildInjector(modules.create(root, settings), new SettingsModule(settings));
    synchronized (opened) {
      opened.addAll(history.getInstance(Key.get(new TypeLiteral<Set<AutoCloseable>>() {})));
    }
    return new ProjectRuntime(root, settings, new Injectors(history, root, settings), exitGuard);
  }

  /** Closes what the runtimes opened (the history), before the entry point exits. */
  public void closeAll() {
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
      throw new ConfigurationException("the project directory " + root + " does not exist");
    }
    return root;
  }

  /** A project's two injectors: the history side at once, the launching side on first use. */
  private final class Injectors implements ProjectRuntime.Instances {
    private final Injector history;
    private final Path root;
    private final Settings settings;
    private Injector launching;

    Injectors(Injector history, Path root, Settings settings) {
      this.history = history;
      this.root = root;
      this.settings = settings;
    }

    @Override
    public <T> T reading(Class<T> type) {
      return history.getInstance(type);
    }

    @Override
    public synchronized <T> T launching(Class<T> type) {
      if (launching == null) {
        modules.prepareLaunching(history);
        launching = history.createChildInjector(modules.launcher(root, settings));
      }
      return launching.getInstance(type);
    }

    @Override
    public Set<HealthCheck> checks() {
      return history.getInstance(Key.get(new TypeLiteral<Set<HealthCheck>>() {}));
    }
  }
}
