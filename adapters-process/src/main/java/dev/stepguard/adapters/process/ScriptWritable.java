package dev.stepguard.adapters.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a script may have written: the project, and above all the directories sandboxed scripts may
 * write to. No interpreter from there runs on the host.
 */
final class ScriptWritable {
  private final List<Path> projectRoots;
  private final Map<Path, String> writable;

  ScriptWritable(Path projectRoot, List<String> writableNames) {
    this.projectRoots = forms(projectRoot);
    Map<Path, String> directories = new HashMap<>();
    for (String name : writableNames) {
      for (Path form : forms(projectRoot.resolve(name))) {
        directories.put(form, name);
      }
    }
    this.writable = Map.copyOf(directories);
  }

  /**
   * Why the interpreter {@code named}, whose real file is {@code real}, must not run, or empty when
   * it may.
   */
  Optional<String> refuse(Path named, Path real) {
    for (Map.Entry<Path, String> directory : writable.entrySet()) {
      if (inside(real, directory.getKey()) || insideByParent(named, directory.getKey())) {
        return Optional.of(
            "the interpreter "
                + named
                + " (real file "
                + real
                + ") lies inside the writable directory '"
                + directory.getValue()
                + "', where a sandboxed script could have replaced it; stepguard runs no"
                + " interpreter from there");
      }
    }
    for (Path root : projectRoots) {
      if (inside(real, root)) {
        return Optional.of(
            "the interpreter "
                + named
                + " is the file "
                + real
                + ", which lies inside the project, where a script could have written it;"
                + " stepguard runs no interpreter of the project on the host (a venv's"
                + " bin/python must be a link to an interpreter installed outside it)");
      }
    }
    return Optional.empty();
  }

  /** Whether a script may have written {@code path}: it lies in the project or a writable one. */
  boolean covers(Path path) {
    for (Path root : projectRoots) {
      if (inside(path, root)) {
        return true;
      }
    }
    for (Path directory : writable.keySet()) {
      if (inside(path, directory)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code searchPath} without relative entries or directories a script may have written, for
   * programs the host runs: a wrapper such as pyenv's shim ({@code #!/usr/bin/env bash}) must not
   * find a project's program.
   */
  String trusted(String searchPath) {
    List<String> entries = new ArrayList<>();
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (directory.startsWith("/") && !covers(Path.of(directory))) {
        entries.add(directory);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Whether {@code path} is {@code directory} or lies inside it, lexically or really. */
  static boolean inside(Path path, Path directory) {
    for (Path form : forms(directory)) {
      if (path.toAbsolutePath().normalize().startsWith(form)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code named}, a link or a file, is reached through {@code directory}. */
  private static boolean insideByParent(Path named, Path directory) {
    Path parent = named.toAbsolutePath().getParent();
    return inside(named, directory) || (parent != null && inside(realOrSelf(parent), directory));
  }

  /** {@code path} as written and, where it exists, as its real path. */
  private static List<Path> forms(Path path) {
    List<Path> forms = new ArrayList<>(List.of(path.toAbsolutePath().normalize()));
    Path real = realOrSelf(path);
    if (!forms.contains(real)) {
      forms.add(real);
    }
    return List.copyOf(forms);
  }

  private static Path realOrSelf(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
