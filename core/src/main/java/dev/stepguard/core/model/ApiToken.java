package dev.stepguard.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An API token as the server keeps it: its label (the name runs record as {@code requestedBy}), its
 * scope, and the SHA-256 of the token, never the token itself.
 *
 * @param label 1 to {@link #MAX_LABEL} printable characters, no whitespace or control characters
 * @param sha256Hex the token's SHA-256, 64 lowercase hex digits
 */
public record ApiToken(
    String label, TokenScope scope, @JsonIgnore String sha256Hex, Instant createdAt) {
  /** The longest label, in characters. */
  public static final int MAX_LABEL = 64;

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public ApiToken {
    checkLabel(label);
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!SHA256_HEX.matcher(sha256Hex).matches()) {
      throw new IllegalArgumentException("a token's SHA-256 must be 64 lowercase hex digits");
    }
  }

  /**
   * Refuses a label that is empty, longer than {@link #MAX_LABEL} characters, or holds whitespace,
   * control, format (such as bidirectional overrides), private-use or unassigned characters: a
   * label is printed in listings and logs and must read as what it is.
   *
   * @throws IllegalArgumentException with a sentence that says what is wrong
   */
  public static void checkLabel(String label) {
    Objects.requireNonNull(label, "label");
    int length = label.codePointCount(0, label.length());
    if (length == 0 || length > MAX_LABEL) {
      throw new IllegalArgumentException(
          "a token label must have 1 to " + MAX_LABEL + " characters, was " + length);
    }
    label
        .codePoints()
        .filter(ApiToken::unprintable)
        .findFirst()
        .ifPresent(
            c -> {
              throw new IllegalArgumentException(
                  String.format(
                      "a token label must be printable, without spaces: U+%04X is not allowed", c));
            });
  }

  private static boolean unprintable(int c) {
    if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED ->
          true;
      default -> false;
    };
  }
}
