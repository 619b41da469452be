package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Limits;
import dev.stepguard.core.port.Launch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The Python program that runs inside the child before the script: it is passed with {@code -c}, so
 * no file of it exists that anything could replace.
 */
final class Bootstrap {
  static final String SOURCE = load();

  private Bootstrap() {}

  /**
   * The argument vector that runs {@code launch} under {@code python}.
   *
   * @param limitProcesses whether to apply the process limit (only where it holds for root too)
   */
  static List<String> command(Path python, Launch launch, boolean limitProcesses) {
    Limits limits = launch.limits();
    return List.of(
        python.toString(),
        "-I",
        "-B",
        "-c",
        SOURCE,
        launch.script().value(),
        Long.toString(limits.cpuTimeSeconds()),
        Long.toString(limits.memoryBytes()),
        Long.toString(limits.fileSizeBytes()),
        Long.toString(limits.openFiles()),
        Long.toString(limitProcesses ? limits.processes() : 0));
  }

  private static String load() {
    try (InputStream in = Bootstrap.class.getResourceAsStream("bootstrap.py")) {
      if (in == null) {
        throw new IllegalStateException("bootstrap.py is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
