package dev.stepguard.app.cli;

import com.google.inject.Module;
import com.google.inject.util.Modules;
import dev.stepguard.adapters.process.LocalLauncherModule;
import dev.stepguard.adapters.process.ProcessAdapterModule;
import dev.stepguard.adapters.process.ProcessSettings;
import java.nio.file.Path;

/** The real adapters: the filesystem path policy and the launcher of the chosen isolation. */
final class ProductionModuleFactory implements RuntimeModuleFactory {
  @Override
  public Module create(Path projectRoot, Settings settings) {
    if (settings.isolation() == IsolationChoice.SANDBOX) {
      throw new UsageError(
          "sandbox isolation is not available in this build yet; use --isolation process");
    }
    return Modules.combine(
        new ProcessAdapterModule(new ProcessSettings(projectRoot, settings.python())),
        new LocalLauncherModule());
  }
}
