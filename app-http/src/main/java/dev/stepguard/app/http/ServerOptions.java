package dev.stepguard.app.http;

import dev.stepguard.core.model.Quantities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's command line: {@code [--project DIR] [--bind ADDR] [--port N] [--slots N] [--queue
 * N] [--drain DURATION]}.
 *
 * @param project the project directory, or empty to find it from the working directory
 * @param bind the address to listen on; loopback unless the operator says otherwise
 * @param port the port, 0 for any free one
 * @param slots how many runs go on at once
 * @param queue how many runs may wait for a slot before requests are refused with 429
 * @param drain how long a shutdown lets running runs finish before cancelling them
 */
record ServerOptions(
    Optional<Path> project, String bind, int port, int slots, int queue, Duration drain) {
  static final String USAGE =
      "usage: stepguard-server [--project DIR] [--bind ADDR] [--port N] [--slots N] [--queue N]"
          + " [--drain DURATION]";

  ServerOptions {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(drain, "drain");
  }

  static ServerOptions defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new ServerOptions(
        Optional.empty(), "127.0.0.1", 8080, cores, 4 * cores, Duration.ofSeconds(30));
  }

  /**
   * Reads the command line.
   *
   * @throws IllegalArgumentException with one sentence that says what is wrong
   */
  static ServerOptions parse(String... args) {
    ServerOptions options = defaults();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(
            name.startsWith("--") ? name + " needs a value" : "unknown argument '" + name + "'");
      }
      String value = args[++i];
      options =
          switch (name) {
            case "--project" -> options.with(Optional.of(Path.of(value)), null, -1, -1, -1, null);
            case "--bind" -> options.with(null, value, -1, -1, -1, null);
            case "--port" -> options.with(null, null, number(name, value, 0, 65535), -1, -1, null);
            case "--slots" -> options.with(null, null, -1, number(name, value, 1, 1024), -1, null);
            case "--queue" ->
                options.with(null, null, -1, -1, number(name, value, 0, 100_000), null);
            case "--drain" -> options.with(null, null, -1, -1, -1, duration(name, value));
            default -> throw new IllegalArgumentException("unknown option '" + name + "'");
          };
    }
    return options;
  }

  private ServerOptions with(
      Optional<Path> newProject,
      String newBind,
      int newPort,
      int newSlots,
      int newQueue,
      Duration newDrain) {
    return new ServerOptions(
        newProject != null ? newProject : project,
        newBind != null ? newBind : bind,
        newPort >= 0 ? newPort : port,
        newSlots >= 0 ? newSlots : slots,
        newQueue >= 0 ? newQueue : queue,
        newDrain != null ? newDrain : drain);
  }

  private static int number(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(
        name + " must be a whole number from " + min + " to " + max + ", was '" + value + "'");
  }

  private static Duration duration(String name, String value) {
    try {
      return Quantities.duration(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name + " must be a duration such as 30s or 2m, was '" + value + "'", e);
    }
  }
}
