package dev.stepguard.app.http;

import dev.stepguard.core.model.Ceilings;
import dev.stepguard.core.model.Quantities;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A point in time in a query, in the command line's forms: an instant ({@code
 * 2026-11-27T09:30:00Z}), a date (midnight UTC) or how long ago ({@code 2h}, {@code 7d}).
 */
final class Times {
  private Times() {}

  static Instant parse(String name, String text, Clock clock) {
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
    try {
      Duration ago = Quantities.duration(text);
      return clock.instant().minus(Ceilings.check("the age", ago, Ceilings.RETENTION));
    } catch (IllegalArgumentException e) {
      throw new ApiProblem(
          ProblemType.MALFORMED_REQUEST,
          name
              + "='"
              + text
              + "' is not a time: give an instant (2026-11-27T09:30:00Z), a date (2026-11-27)"
              + " or how long ago (2h, 7d)");
    }
  }
}
