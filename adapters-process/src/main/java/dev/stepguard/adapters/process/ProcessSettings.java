package dev.stepguard.adapters.process;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the process adapters need from configuration.
 *
 * @param projectRoot the project directory; scripts must lie inside it
 * @param python the interpreter to use: a path, or a command name looked up on the PATH
 */
public record ProcessSettings(Path projectRoot, String python) {
  public static final String DEFAULT_PYTHON = "python3";

  public ProcessSettings {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(python, "python");
    if (python.isBlank()) {
      throw new IllegalArgumentException("python must name an interpreter");
    }
  }
}
