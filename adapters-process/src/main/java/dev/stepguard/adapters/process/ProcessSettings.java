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
 * @param warm whether {@code process} isolation hands runs to warm interpreters
 */
public record ProcessSettings(
    Path projectRoot, String python, List<String> writable, List<String> pythonPath, Warm warm) {
  public static final String DEFAULT_PYTHON = "python3";

  /**
   * Warm interpreters for {@code process} isolation: a fork server per interpreter and project that
   * keeps {@code pool} forked children ready, each waiting for one run (see {@code
   * WarmInterpreters}).
   *
   * @param pool how many children each fork server keeps ready, from 1 to {@link #MAX_POOL}
   */
  public record Warm(boolean enabled, int pool) {
    public static final int MAX_POOL = 64;
    public static final int DEFAULT_POOL = 4;

    /** Every run starts its own interpreter. */
    public static final Warm OFF = new Warm(false, DEFAULT_POOL);

    /** Runs take warm interpreters, {@link #DEFAULT_POOL} ready. */
    public static final Warm ON = new Warm(true, DEFAULT_POOL);

    public Warm {
      if (pool < 1 || pool > MAX_POOL) {
        throw new IllegalArgumentException(
            "warm.pool must be from 1 to " + MAX_POOL + ", was " + pool);
      }
    }
  }

  public ProcessSettings {
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(python, "python");
    writable = List.copyOf(Objects.requireNonNull(writable, "writable"));
    pythonPath = List.copyOf(Objects.requireNonNull(pythonPath, "pythonPath"));
    Objects.requireNonNull(warm, "warm");
    if (python.isBlank()) {
      throw new IllegalArgumentException("python must name an interpreter");
    }
    pythonPath.forEach(ProcessSettings::inside);
  }

  public ProcessSettings(
      Path projectRoot, String python, List<String> writable, List<String> pythonPath) {
    this(projectRoot, python, writable, pythonPath, Warm.OFF);
  }

  public ProcessSettings(Path projectRoot, String python, List<String> writable) {
    this(projectRoot, python, writable, List.of());
  }

  public ProcessSettings(Path projectRoot, String python) {
    this(projectRoot, python, List.of(), List.of());
  }

  /** These settings with {@code warm}. */
  public ProcessSettings withWarm(Warm warm) {
    return new ProcessSettings(projectRoot, python, writable, pythonPath, warm);
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
