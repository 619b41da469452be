package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Requester;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How the web pages write values: times in UTC (the page's script shows them in the viewer's zone),
 * durations, JSON, who asked, and query strings.
 */
final class PageText {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  private PageText() {}

  /** The instant as a {@code <time datetime>} value, to the millisecond; empty for null. */
  static String iso(Instant instant) {
    return instant == null ? "" : instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }

  /** The instant as text that is right without the page's script; "-" for null. */
  static String utc(Instant instant) {
    return instant == null ? "-" : UTC.format(instant);
  }

  static String duration(long ms) {
    if (ms < 1000) {
      return ms + " ms";
    }
    Duration d = Duration.ofMillis(ms);
    if (ms < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return d.toMinutes() + " min " + d.toSecondsPart() + " s";
  }

  static String json(JsonNode node) {
    if (node == null || node.isNull()) {
      return "";
    }
    try {
      return Json.writer().withDefaultPrettyPrinter().writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return node.toString();
    }
  }

  static String requester(Requester requester) {
    return switch (requester.channel()) {
      case HTTP -> "token " + requester.name();
      case CLI -> "command line, user " + requester.name();
      case SERVER -> "the server, user " + requester.name();
    };
  }

  /** {@code ?a=1&b=2} of the parameters that have a non-empty value, or "" when none has. */
  static String query(Map<String, String> parameters) {
    StringJoiner joined = new StringJoiner("&", "?", "").setEmptyValue("");
    parameters.forEach(
        (name, value) -> {
          if (value != null && !value.isEmpty()) {
            joined.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return joined.toString();
  }
}
