package dev.stepguard.app.cli;

import dev.stepguard.core.model.Quantities;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return Quantities.duration(value);
  }
}
