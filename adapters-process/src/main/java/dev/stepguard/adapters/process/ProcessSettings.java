package dev.stepguard.adapters.process;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the process adapters need from configuration.
 *
 * @param projectRoot the project directory; scripts must lie inside it
 * @param python the interpreter to use: a path, or a command name looked up on the PATH
 * @param writable project directories (relative) that sandboxed scripts may write to
 * @param pythonPath project directories (relative, already checked by whoever read them) that the
 *     bootstrap puts on {@code sys.path} after the script's own directory, in this order
 */
public record ProcessSettings(
    Path projectRoot, String python, List<String> writable, List<String> pythonPath) {
  public static final String DEFAULT_PYTHON = "python3";

  public ProcessSettings {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(python, "python");
    writable = List.copyOf(Objects.requireNonNull(writable, "writable"));
    pythonPath = List.copyOf(Objects.requireNonNull(pythonPath, "pythonPath"));
    if (python.isBlank()) {
      throw new IllegalArgumentException("python must name an interpreter");
    }
    pythonPath.forEach(ProcessSettings::inside);
  }

  public ProcessSettings(Path projectRoot, String python, List<String> writable) {
    this(projectRoot, python, writable, List.of());
  }

  public ProcessSettings(Path projectRoot, String python) {
    this(projectRoot, python, List.of(), List.of());
  }

  /** A pythonPath entry names a place inside the project by a relative path that stays in it. */
  private static void inside(String entry) {
    Path path;
    try {
      path = Path.of(entry);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("pythonPath entry '" + entry + "' is not a path", e);
    }
    Path normalized = path.normalize();
    if (entry.isEmpty()
        || path.isAbsolute()
        || (normalized.getNameCount() > 0 && normalized.getName(0).toString().equals(".."))) {
      throw new IllegalArgumentException(
          "pythonPath entry '" + entry + "' must be a relative path inside the project");
    }
  }
}
