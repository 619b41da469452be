package dev.stepguard.app.cli;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the user stands: {@code user.dir} for the real command, any directory for a test (a test
 * cannot change the JVM's working directory).
 */
record WorkingDirectory(Path path) {
  WorkingDirectory {
    path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
  }

  static WorkingDirectory ofJvm() {
    return new WorkingDirectory(Path.of(System.getProperty("user.dir", "")));
  }
}
