package dev.stepguard.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An API token as the server keeps it: its label (the name runs record as {@code requestedBy}), its
 * scope, and the SHA-256 of the token, never the token itself. A label names one token forever: a
 * revoked token is kept (refused, never deleted) so that its label cannot be given to another, and
 * the history's {@code requestedBy} always means one token.
 *
 * @param label 1 to {@link #MAX_LABEL} printable characters, no whitespace or control characters
 * @param sha256Hex the token's SHA-256, 64 lowercase hex digits
 * @param revokedAt when the token was revoked, or null while it is accepted
 */
public record ApiToken(
    String label,
    TokenScope scope,
    @JsonIgnore String sha256Hex,
    Instant createdAt,
    Instant revokedAt) {
  /** The longest label, in characters. */
  public static final int MAX_LABEL = 64;

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final String NEW_LABEL_SYMBOLS = "._-@:/+";

  /** A token that is accepted (not revoked). */
  public ApiToken(String label, TokenScope scope, String sha256Hex, Instant createdAt) {
    this(label, scope, sha256Hex, createdAt, null);
  }

  public ApiToken {
    checkLabel(label);
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!SHA256_HEX.matcher(sha256Hex).matches()) {
      throw new IllegalArgumentException("a token's SHA-256 must be 64 lowercase hex digits");
    }
  }

  /** Whether the token was revoked: requests with it are refused. */
  @JsonIgnore
  public boolean revoked() {
    return revokedAt != null;
  }

  /** This token, revoked at {@code at}. */
  public ApiToken revokedAt(Instant at) {
    return new ApiToken(label, scope, sha256Hex, createdAt, Objects.requireNonNull(at, "at"));
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

  /**
   * Refuses, for a token about to be created, anything {@link #checkLabel} refuses and any label
   * that is not lowercase ASCII letters, digits and {@code . _ - @ : / +} starting with a letter or
   * a digit: such labels cannot look like one another ({@code CI} beside {@code ci}, a Cyrillic
   * {@code с}, a filler character). Labels stored before this rule still load.
   *
   * @throws IllegalArgumentException with a sentence that names the character refused
   */
  public static void checkNewLabel(String label) {
    checkLabel(label);
    for (int i = 0; i < label.length(); i = label.offsetByCodePoints(i, 1)) {
      int c = label.codePointAt(i);
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || (i > 0 && NEW_LABEL_SYMBOLS.indexOf(c) >= 0);
      if (!plain) {
        throw new IllegalArgumentException(
            String.format(
                "a new token label must be lowercase letters a-z, digits and . _ - @ : / +,"
                    + " starting with a letter or digit, so that no two labels look alike:"
                    + " U+%04X%s at position %d is not allowed",
                c,
                c > ' ' && c < 0x7f ? " ('" + (char) c + "')" : "",
                label.codePointCount(0, i) + 1));
      }
    }
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
