package dev.stepguard.app.cli;

import dev.stepguard.core.model.Ceilings;

/** Reads a run timeout ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}) up to its ceiling. */
final class TimeoutConverter extends BoundedDurationConverter {
  TimeoutConverter() {
    super("the timeout", Ceilings.TIMEOUT);
  }
}
