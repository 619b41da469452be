package dev.stepguard.app.cli;

import dev.stepguard.core.model.Ceilings;
import dev.stepguard.core.model.Quantities;
import java.time.Duration;
import java.util.Objects;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a duration flag and refuses one over its ceiling; picocli names the flag (exit 2). */
abstract class BoundedDurationConverter implements ITypeConverter<Duration> {
  private final String what;
  private final Duration ceiling;

  BoundedDurationConverter(String what, Duration ceiling) {
    this.what = Objects.requireNonNull(what, "what");
    this.ceiling = Objects.requireNonNull(ceiling, "ceiling");
  }

  @Override
  public Duration convert(String value) {
    try {
      return Ceilings.check(what, Quantities.duration(value), ceiling);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
