package dev.stepguard.core.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a page of history ended: the start time and id of its last run. Pages are ordered newest
 * first, so the next page holds the runs that sort after this one.
 */
public record HistoryCursor(Instant startedAt, ExecutionId id) {
  public HistoryCursor {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(id, "id");
  }

  /** The cursor of a page whose last run is {@code summary}. */
  public static HistoryCursor after(ExecutionSummary summary) {
    return new HistoryCursor(summary.startedAt(), summary.id());
  }

  /** Whether {@code record} comes after this cursor in newest-first order. */
  public boolean precedes(ExecutionRecord record) {
    int byTime = record.startedAt().compareTo(startedAt);
    return byTime < 0 || (byTime == 0 && record.id().value().compareTo(id.value()) < 0);
  }

  /** An opaque text form for command lines and URLs. */
  public String encode() {
    String plain = startedAt.toEpochMilli() + "/" + id.value();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads {@link #encode()}'s form; a cursor that was not made by it is an error. */
  public static HistoryCursor decode(String text) {
    Objects.requireNonNull(text, "text");
    try {
      String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      int slash = plain.indexOf('/');
      return new HistoryCursor(
          Instant.ofEpochMilli(Long.parseLong(plain.substring(0, slash))),
          new ExecutionId(plain.substring(slash + 1)));
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("'" + text + "' is not a history cursor", e);
    }
  }
}
