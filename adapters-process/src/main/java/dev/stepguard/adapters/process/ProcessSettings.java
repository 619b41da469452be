package dev.stepguard.adapters.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the process adapters need from configuration.
 *
 * @param projectRoot the project directory; scripts must lie inside it
 * @param python the interpreter to use: a path, or a command name looked up on the PATH
 * @param writable project directories (relative) that sandboxed scripts may write to
 */
public record ProcessSettings(Path projectRoot, String python, List<String> writable) {
  public static final String DEFAULT_PYTHON = "python3";

  public ProcessSettings {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(python, "python");
    writable = List.copyOf(Objects.requireNonNull(writable, "writable"));
    if (python.isBlank()) {
      throw new IllegalArgumentException("python must name an interpreter");
    }
  }

  public ProcessSettings(Path projectRoot, String python) {
    this(projectRoot, python, List.of());
  }
}
