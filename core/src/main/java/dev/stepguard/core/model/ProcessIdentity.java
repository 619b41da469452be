package dev.stepguard.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One process, told apart from any later process that reuses its id: the host it runs on, its pid
 * and the time the kernel started it.
 */
public record ProcessIdentity(String host, long pid, Instant startedAt) {
  public ProcessIdentity {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(startedAt, "startedAt");
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive, was " + pid);
    }
  }
}
