package dev.stepguard.app.cli;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.ProcessLauncher;
import dev.stepguard.core.service.ScriptExecutor;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/** Builds the use cases of one project: reads its configuration, then a child injector over it. */
final class RuntimeFactory {
  private final Injector parent;
  private final RuntimeModuleFactory modules;

  @Inject
  RuntimeFactory(Injector parent, RuntimeModuleFactory modules) {
    this.parent = Objects.requireNonNull(parent, "parent");
    this.modules = Objects.requireNonNull(modules, "modules");
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
      Set<HealthCheck> checks,
      Isolation isolation) {}

  /** The project's settings from {@code stepguard.yaml}, before flags are applied. */
  Settings settings(Path project) {
    return ConfigLoader.load(projectRoot(project));
  }

  Runtime open(Path project, Settings settings) {
    Path root = projectRoot(project);
    Injector injector = parent.createChildInjector(modules.create(root, settings));
    return new Runtime(
        root,
        settings,
        injector.getInstance(ScriptExecutor.class),
        injector.getInstance(Key.get(new TypeLiteral<Set<HealthCheck>>() {})),
        injector.getInstance(ProcessLauncher.class).isolation());
  }

  private static Path projectRoot(Path project) {
    Path root = project.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new UsageError("the project directory " + root + " does not exist");
    }
    return root;
  }
}
