package dev.stepguard.app.cli;

import dev.stepguard.core.model.Ceilings;
import dev.stepguard.core.model.Quantities;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time on the command line: an ISO instant ({@code 2026-11-27T09:30:00Z}), a date
 * ({@code 2026-11-27}, midnight UTC), or a duration meaning that long ago ({@code 2h}, {@code 7d}).
 */
final class TimeConverter implements ITypeConverter<Instant> {
  private final Clock clock;

  @Inject
  TimeConverter(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Instant convert(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException notAnInstant) {
      // try the other forms
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notADate) {
      // try the other forms
    }
    Duration ago;
    try {
      ago = Quantities.duration(text);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          "'"
              + text
              + "' is not a time: give an instant (2026-11-27T09:30:00Z), a date (2026-11-27)"
              + " or how long ago (2h, 7d)");
    }
    try {
      return clock.instant().minus(Ceilings.check("the age", ago, Ceilings.RETENTION));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
