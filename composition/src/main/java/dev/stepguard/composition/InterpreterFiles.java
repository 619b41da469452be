package dev.stepguard.composition;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The file an interpreter setting finally names, links followed: a venv whose {@code python} links
 * to the operator's interpreter runs that same binary, so naming it loosens nothing.
 */
final class InterpreterFiles {
  private InterpreterFiles() {}

  /** Whether both settings name the same existing file. */
  static boolean same(String a, String b) {
    Optional<Path> first = realFile(a);
    return first.isPresent() && first.equals(realFile(b));
  }

  /**
   * Whether the setting names a script (a file that starts with {@code #!}, such as a pyenv shim)
   * rather than an interpreter: a venv made with it links to the interpreter it runs, another file.
   */
  static boolean wrapper(String configured) {
    Optional<Path> file = realFile(configured);
    if (file.isEmpty()) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file.get())) {
      return Arrays.equals(in.readNBytes(2), new byte[] {'#', '!'});
    } catch (IOException e) {
      return false;
    }
  }

  /** The real file of a path, or of a bare name looked up on stepguard's own PATH. */
  static Optional<Path> realFile(String configured) {
    if (configured.contains("/")) {
      return real(Path.of(configured));
    }
    String path = System.getenv("PATH");
    for (String directory : (path == null ? "" : path).split(File.pathSeparator)) {
      if (!directory.isEmpty()) {
        Path candidate = Path.of(directory, configured);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return real(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> real(Path path) {
    try {
      Path real = path.toRealPath();
      return Files.isRegularFile(real) ? Optional.of(real) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
