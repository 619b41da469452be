package dev.stepguard.app.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Fields of a record read into plain values (see {@code HandOff.Answer.Ended#fields}) read as a
 * Jackson tree reads them with {@code path(name).asText()}, {@code asText(fallback)}, {@code
 * asLong()} and {@code asBoolean()}, so that a record printed from either shows the same.
 */
final class PlainFields {
  private PlainFields() {}

  /**
   * {@code fields.path(name).asText()}: {@code missing} when there is no such field, {@code "null"}
   * for JSON null.
   */
  static String text(Map<?, ?> fields, String name, String missing) {
    return fields.containsKey(name) ? textOr(fields.get(name), "null") : missing;
  }

  /**
   * {@code value.asText(fallback)}: {@code fallback} for a missing value or JSON null, {@code ""}
   * for an object or an array, else the value's text.
   */
  static String textOr(Object value, String fallback) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      return "";
    }
    return value.toString();
  }

  /** {@code value.asLong()}: a number cut to a long, a text that is one, else 0. */
  static long number(Object value) {
    if (value instanceof Number number) {
      return number.longValue();
    }
    if (value instanceof Boolean truth) {
      return truth ? 1 : 0;
    }
    if (value instanceof String text) {
      try {
        return new BigDecimal(text.strip()).longValue();
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  /** {@code value.asBoolean()}: true for true, a non-zero integer or the text "true". */
  static boolean truth(Object value) {
    if (value instanceof Boolean truth) {
      return truth;
    }
    if (value instanceof BigInteger integer) {
      return integer.signum() != 0;
    }
    return value instanceof String text && text.strip().equals("true");
  }
}
