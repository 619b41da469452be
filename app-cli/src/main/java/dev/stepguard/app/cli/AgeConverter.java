package dev.stepguard.app.cli;

import dev.stepguard.core.model.Ceilings;

/** Reads how old runs must be for {@code history prune} ({@code 30d}), up to its ceiling. */
final class AgeConverter extends BoundedDurationConverter {
  AgeConverter() {
    super("the age", Ceilings.RETENTION);
  }
}
