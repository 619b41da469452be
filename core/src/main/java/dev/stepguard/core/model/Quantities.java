package dev.stepguard.core.model;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 30d}) and sizes
 * ({@code 512KiB}, {@code 64MiB}, {@code 1GiB}, plain bytes) that users write in flags and YAML.
 */
public final class Quantities {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KiB|MiB|GiB|k|K|M|G)?");

  /**
   * KB, MB and GB mean powers of ten to most readers, which no limit here is: refused, not guessed.
   */
  private static final Pattern DECIMAL_SIZE = Pattern.compile("(\\d{1,15})\\s*([kKmMgG])[bB]");

  private Quantities() {}

  /** A positive duration, or an IllegalArgumentException whose message says what is accepted. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; write a whole number with ms, s, m, h or d, e.g. 30s");
    }
    long amount = Long.parseLong(m.group(1));
    Duration duration;
    switch (m.group(2)) {
      case "ms":
        duration = Duration.ofMillis(amount);
        break;
      case "s":
        duration = Duration.ofSeconds(amount);
        break;
      case "m":
        duration = Duration.ofMinutes(amount);
        break;
      case "h":
        duration = Duration.ofHours(amount);
        break;
      default:
        duration = Duration.ofDays(amount);
        break;
    }
    if (duration.isZero()) {
      throw new IllegalArgumentException("'" + text + "' is zero; a duration must be positive");
    }
    return duration;
  }

  /** A positive size in bytes; binary units (KiB, MiB, GiB, and K, M, G as their short forms). */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    Matcher decimal = DECIMAL_SIZE.matcher(text == null ? "" : text.strip());
    if (decimal.matches()) {
      String unit = decimal.group(2).toUpperCase(Locale.ROOT) + "iB";
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is ambiguous: write "
              + decimal.group(1)
              + unit
              + " for the binary unit, or the number of bytes");
    }
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size; write a whole number of bytes or with KiB, MiB or GiB");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long factor;
    switch (unit.substring(0, 1).toUpperCase(Locale.ROOT)) {
      case "K":
        factor = 1024L;
        break;
      case "M":
        factor = 1024L * 1024;
        break;
      case "G":
        factor = 1024L * 1024 * 1024;
        break;
      default:
        factor = 1;
        break;
    }
    if (amount > Long.MAX_VALUE / factor) {
      throw new IllegalArgumentException(
          "'" + text + "' is too large for any size stepguard takes");
    }
    long bytes = amount * factor;
    if (bytes <= 0) {
      throw new IllegalArgumentException("'" + text + "' is zero; a size must be positive");
    }
    return bytes;
  }

  /** A duration as users write it: {@code 30d}, {@code 2h}, {@code 90s}, {@code 1500ms}. */
  public static String text(Duration duration) {
    if (duration.getNano() != 0) {
      return duration.toMillis() + "ms";
    }
    long seconds = duration.getSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }

  /** A size as users write it: {@code 1GiB}, {@code 64MiB}, {@code 512KiB}, {@code 100B}. */
  public static String bytesText(long bytes) {
    String[] units = {"GiB", "MiB", "KiB"};
    for (int i = 0; i < units.length; i++) {
      long factor = 1L << (10 * (units.length - i));
      if (bytes >= factor && bytes % factor == 0) {
        return bytes / factor + units[i];
      }
    }
    return bytes + "B";
  }
}
