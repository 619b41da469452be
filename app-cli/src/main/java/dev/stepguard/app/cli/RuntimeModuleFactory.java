package dev.stepguard.app.cli;

import com.google.inject.Module;
import java.nio.file.Path;

/**
 * Chooses the adapters a command runs with, once its project and settings are known. Production
 * uses the real adapters; tests swap in the fakes from core's test fixtures.
 */
public interface RuntimeModuleFactory {

  /** The modules that bind every port of core for a project at {@code projectRoot}. */
  Module create(Path projectRoot, Settings settings);
}
