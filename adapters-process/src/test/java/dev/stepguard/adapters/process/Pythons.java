package dev.stepguard.adapters.process;

import java.nio.file.Path;
import java.util.List;

/** Python locators for tests. */
final class Pythons {
  /** A project root no test uses, for locators that serve many test projects. */
  static final Path NO_PROJECT = Path.of("/nonexistent/stepguard-test-project");

  private Pythons() {}

  /** {@code python3} looked up on {@code searchPath}. */
  static PythonLocator onPath(String searchPath) {
    return named("python3", searchPath);
  }

  /** The real executable of {@code python3} on the PATH. */
  static Path realPython() {
    return ((PythonLocator.Discovery.Found) onPath(System.getenv("PATH")).locate()).executable();
  }

  /** The interpreter {@code python} names, for no project in particular. */
  static PythonLocator named(String python, String searchPath) {
    return new PythonLocator(new ProcessSettings(NO_PROJECT, python), searchPath);
  }

  /** The interpreter {@code python} names, for the project {@code root}. */
  static PythonLocator forProject(String python, Path root, List<String> writable) {
    return new PythonLocator(new ProcessSettings(root, python, writable), System.getenv("PATH"));
  }
}
