package dev.stepguard.composition;

import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import dev.stepguard.adapters.persistence.HistorySettings;
import dev.stepguard.adapters.persistence.JdbcHistoryModule;
import dev.stepguard.adapters.process.LocalLauncherModule;
import dev.stepguard.adapters.process.ProcessAdapterModule;
import dev.stepguard.adapters.process.ProcessSettings;
import dev.stepguard.adapters.process.SandboxLauncherModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The real adapters: the filesystem path policy, the launcher of the chosen isolation and the
 * history database (the project's H2 file unless {@code history.url} names another). {@code auto}
 * takes the sandbox where bubblewrap works on this host and process isolation elsewhere; {@code
 * sandbox} never falls back (a host without it gets LAUNCH_FAILED with an install hint).
 */
final class ProductionModuleFactory implements RuntimeModuleFactory {
  private final BiFunction<Path, List<String>, Optional<String>> sandboxUnavailable;

  ProductionModuleFactory() {
    this(SandboxLauncherModule::unavailableBecause);
  }

  /**
   * @param sandboxUnavailable the bubblewrap probe {@code auto} asks, once per launcher built, with
   *     the project's root and writable directories: why the sandbox cannot run here, or empty
   */
  ProductionModuleFactory(BiFunction<Path, List<String>, Optional<String>> sandboxUnavailable) {
    this.sandboxUnavailable = Objects.requireNonNull(sandboxUnavailable, "sandboxUnavailable");
  }

  @Override
  public Module create(Path projectRoot, Settings settings) {
    return Modules.combine(
        new ProcessAdapterModule(
            new ProcessSettings(
                projectRoot,
                settings.python(),
                settings.writable(),
                settings.pythonPath(),
                new ProcessSettings.Warm(settings.warm().on(), settings.warm().pool()))),
        new JdbcHistoryModule(history(projectRoot, settings.history())));
  }

  /** Reading the configuration comes first, so its warm-up starts first. */
  @Override
  public void warmUp() {
    ConfigWarmUp.start();
    JdbcHistoryModule.warmUp();
  }

  /** The look for Python runs while bubblewrap is probed for and the launcher is built. */
  @Override
  public void prepareLaunching(Injector project) {
    ProcessAdapterModule.lookForPythonAhead(project);
  }

  @Override
  public Module launcher(Path projectRoot, Settings settings) {
    // Warm process runs are set up by the process settings; warm sandboxes by their module.
    int warmSandboxes = settings.warm().on() ? settings.warm().pool() : 0;
    return switch (settings.isolation()) {
      case PROCESS -> new LocalLauncherModule();
      case SANDBOX -> new SandboxLauncherModule(warmSandboxes);
      case AUTO ->
          sandboxUnavailable.apply(projectRoot, settings.writable()).isEmpty()
              ? new SandboxLauncherModule(warmSandboxes)
              : new LocalLauncherModule();
    };
  }

  private static HistorySettings history(Path projectRoot, HistoryOptions options) {
    return options
        .url()
        .map(url -> HistorySettings.of(url, options.credentials().orElse(null)))
        .orElseGet(() -> HistorySettings.forProject(projectRoot));
  }
}
