package dev.stepguard.composition;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code http:} settings of {@code stepguard-server}; its flags override them.
 *
 * @param bind the address to listen on
 * @param port the port, 0 for any free one
 * @param slots how many runs go on at once
 * @param queue how many runs may wait for a slot
 * @param drain how long a shutdown lets running runs finish before cancelling them
 */
public record HttpOptions(String bind, int port, int slots, int queue, Duration drain) {
  static final int MAX_SLOTS = 1024;
  static final int MAX_QUEUE = 100_000;

  /** Checks every setting. */
  public HttpOptions {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(drain, "drain");
    if (bind.isBlank()) {
      throw new IllegalArgumentException("http.bind must name an address");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("http.port must be from 0 to 65535, was " + port);
    }
    if (slots < 1 || slots > MAX_SLOTS) {
      throw new IllegalArgumentException(
          "http.slots must be from 1 to " + MAX_SLOTS + ", was " + slots);
    }
    if (queue < 0 || queue > MAX_QUEUE) {
      throw new IllegalArgumentException(
          "http.queue must be from 0 to " + MAX_QUEUE + ", was " + queue);
    }
    if (drain.isNegative()) {
      throw new IllegalArgumentException("http.drain must not be negative");
    }
  }

  /** Loopback port 8080, a run slot per core, a queue of four runs per core, 30 s to drain. */
  public static HttpOptions defaults() {
    int cores = Runtime.getRuntime().availableProcessors();
    return new HttpOptions("127.0.0.1", 8080, cores, 4 * cores, Duration.ofSeconds(30));
  }
}
