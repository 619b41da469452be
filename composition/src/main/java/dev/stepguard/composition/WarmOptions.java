package dev.stepguard.composition;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code warm:} settings of the operator config: whether runs take warm interpreters (children
 * forked beforehand by a fork server for {@code process} isolation, bubblewraps started ahead for
 * {@code sandbox}), and how many wait. A project's {@code stepguard.yaml} may not set them.
 *
 * @param enabled on or off as configured; unset, the server turns them on and the CLI leaves them
 *     off
 * @param pool how many forked children each fork server keeps ready, and how many sandboxes wait,
 *     from 1 to {@link #MAX_POOL}
 */
public record WarmOptions(Optional<Boolean> enabled, int pool) {
  static final int MAX_POOL = 64;
  static final int DEFAULT_POOL = 4;

  /** Checks the pool size. */
  public WarmOptions {
    Objects.requireNonNull(enabled, "enabled");
    if (pool < 1 || pool > MAX_POOL) {
      throw new IllegalArgumentException(
          "warm.pool must be from 1 to " + MAX_POOL + ", was " + pool);
    }
  }

  /** Nothing configured: the default pool, on or off as the program decides. */
  static WarmOptions defaults() {
    return new WarmOptions(Optional.empty(), DEFAULT_POOL);
  }

  /** These options, on unless the configuration turned them off: the server's choice. */
  WarmOptions onUnlessOff() {
    return new WarmOptions(Optional.of(enabled.orElse(true)), pool);
  }

  /** Whether runs take warm interpreters: only when turned on. */
  boolean on() {
    return enabled.orElse(false);
  }
}
