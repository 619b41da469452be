package dev.stepguard.core.model;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The one sentence every token store says when a label is already taken. */
public final class TokenLabels {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private TokenLabels() {}

  /** Why no new token may be labelled like {@code held}: it exists, or it was revoked. */
  public static String taken(ApiToken held) {
    if (held.revoked()) {
      return "the label "
          + held.label()
          + " belonged to a token revoked on "
          + WHEN.format(held.revokedAt())
          + "; a label names one token forever, so that the runs it asked for (requestedBy)"
          + " cannot be mistaken for another's";
    }
    return "a token labelled " + held.label() + " already exists";
  }
}
