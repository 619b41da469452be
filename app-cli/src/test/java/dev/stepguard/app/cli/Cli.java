package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeModuleFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs the real entry point in-process and keeps what it printed. Unless a test names one, the
 * operator config is a file that does not exist, never the machine's own.
 */
final class Cli {
  private static final Map<String, String> NO_OPERATOR_CONFIG =
      Map.of("STEPGUARD_CONFIG", scratch().resolve("operator.yaml").toString());

  /**
   * Where a command without {@code --project} stands: an empty directory of its own, never the
   * build's working directory (an ancestor of it with a {@code .stepguard/} would become the
   * project).
   */
  private static final Path NOWHERE = scratch();

  private Cli() {}

  record Result(int exitCode, String out, String err) {}

  static Result run(RuntimeModuleFactory adapters, String... args) {
    return run(NO_OPERATOR_CONFIG, adapters, args);
  }

  static Result run(Map<String, String> env, RuntimeModuleFactory adapters, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            args, new PrintWriter(out, true), new PrintWriter(err, true), adapters, env, NOWHERE);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs as if the user stood in {@code start}, the test's stand-in for the current directory. */
  static Result runIn(Path start, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.execute(
            args,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            RuntimeModuleFactory.production(),
            env,
            start);
    return new Result(code, out.toString(), err.toString());
  }

  /** {@link #runIn(Path, Map, String...)} without an operator config. */
  static Result runIn(Path start, String... args) {
    return runIn(start, NO_OPERATOR_CONFIG, args);
  }

  static Result run(String... args) {
    return run(RuntimeModuleFactory.production(), args);
  }

  /** The environment of an operator whose config is {@code file}. */
  static Map<String, String> operator(Path file) {
    return Map.of("STEPGUARD_CONFIG", file.toString());
  }

  private static Path scratch() {
    try {
      Path directory = Files.createTempDirectory("stepguard-cli-test");
      directory.toFile().deleteOnExit();
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
