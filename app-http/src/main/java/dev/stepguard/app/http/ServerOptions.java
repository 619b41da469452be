package dev.stepguard.app.http;

import dev.stepguard.composition.HttpOptions;
import dev.stepguard.core.model.Quantities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The server's command line: {@code [--project DIR] [--bind ADDR] [--port N] [--slots N] [--queue
 * N] [--drain DURATION]}. Each flag given overrides the {@code http:} setting of the operator
 * config (or a trusted {@code stepguard.yaml}); see {@link #over(HttpOptions)}.
 *
 * @param project the project directory, or empty to find it from the working directory
 * @param bind the address to listen on
 * @param port the port, 0 for any free one
 * @param slots how many runs go on at once
 * @param queue how many runs may wait for a slot before requests are refused with 429
 * @param drain how long a shutdown lets running runs finish before cancelling them
 */
record ServerOptions(
    Optional<Path> project,
    Optional<String> bind,
    Optional<Integer> port,
    Optional<Integer> slots,
    Optional<Integer> queue,
    Optional<Duration> drain) {
  static final String USAGE =
      "usage: stepguard-server [--project DIR] [--bind ADDR] [--port N] [--slots N] [--queue N]"
          + " [--drain DURATION]";

  private static final Set<String> FLAGS =
      Set.of("--project", "--bind", "--port", "--slots", "--queue", "--drain");

  ServerOptions {
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(slots, "slots");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(drain, "drain");
  }

  /**
   * Reads the command line.
   *
   * @throws IllegalArgumentException with one sentence that says what is wrong
   */
  static ServerOptions parse(String... args) {
    ServerOptions options =
        new ServerOptions(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help") || name.equals("-h")) {
        throw new HelpAsked();
      }
      if (!FLAGS.contains(name)) {
        throw new IllegalArgumentException(
            (name.startsWith("-") ? "unknown option '" : "unknown argument '")
                + name
                + "'; "
                + USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      String value = args[++i];
      options =
          switch (name) {
            case "--project" -> options.withProject(Path.of(value));
            case "--bind" -> options.withBind(value);
            case "--port" -> options.withPort(number(name, value, 0, 65535));
            case "--slots" -> options.withSlots(number(name, value, 1, 1024));
            case "--queue" -> options.withQueue(number(name, value, 0, 100_000));
            case "--drain" -> options.withDrain(duration(name, value));
            default -> throw new IllegalArgumentException("unknown option '" + name + "'");
          };
    }
    return options;
  }

  /** {@code --help} or {@code -h} was given: the usage is the answer, and no server starts. */
  static final class HelpAsked extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    HelpAsked() {
      super(USAGE);
    }
  }

  /** The configured settings with the flags given put over them. */
  HttpOptions over(HttpOptions configured) {
    return new HttpOptions(
        bind.orElse(configured.bind()),
        port.orElse(configured.port()),
        slots.orElse(configured.slots()),
        queue.orElse(configured.queue()),
        drain.orElse(configured.drain()));
  }

  private ServerOptions withProject(Path value) {
    return new ServerOptions(Optional.of(value), bind, port, slots, queue, drain);
  }

  private ServerOptions withBind(String value) {
    return new ServerOptions(project, Optional.of(value), port, slots, queue, drain);
  }

  private ServerOptions withPort(int value) {
    return new ServerOptions(project, bind, Optional.of(value), slots, queue, drain);
  }

  private ServerOptions withSlots(int value) {
    return new ServerOptions(project, bind, port, Optional.of(value), queue, drain);
  }

  private ServerOptions withQueue(int value) {
    return new ServerOptions(project, bind, port, slots, Optional.of(value), drain);
  }

  private ServerOptions withDrain(Duration value) {
    return new ServerOptions(project, bind, port, slots, queue, Optional.of(value));
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
