package dev.stepguard.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Making API tokens, and checking a presented token against a stored one without leaking time. */
public final class ApiTokens {
  /** What every token starts with, so that one is recognised in a file, a log or a secret scan. */
  public static final String PREFIX = "sg_";

  /** Random bytes in a token: 256 bits. */
  static final int RANDOM_BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {}

  /** A new token: {@link #PREFIX} and 32 random bytes in URL-safe base64 without padding. */
  public static String generate() {
    byte[] random = new byte[RANDOM_BYTES];
    RANDOM.nextBytes(random);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** The SHA-256 of {@code token}'s UTF-8 bytes, as 64 lowercase hex digits. */
  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(Objects.requireNonNull(token, "token")));
  }

  /**
   * A stored token whose label differs from {@code label} in case only (labels stored before new
   * ones had to be lowercase), which a new token must not sit beside.
   */
  public static Optional<ApiToken> lookingAlike(String label, List<ApiToken> stored) {
    return stored.stream()
        .filter(held -> !held.label().equals(label) && held.label().equalsIgnoreCase(label))
        .findFirst();
  }

  /**
   * Whether {@code presented} is the token {@code stored} was made from, comparing the digests in
   * constant time. A null token matches nothing.
   */
  public static boolean matches(String presented, ApiToken stored) {
    Objects.requireNonNull(stored, "stored");
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(sha256(presented), HexFormat.of().parseHex(stored.sha256Hex()));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
