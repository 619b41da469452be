package dev.stepguard.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An {@code Idempotency-Key} a client sent with a request that starts a run, kept in the history so
 * that the same request again gets the same run, even after a dropped connection or a restart.
 *
 * @param key the header's value: 1 to 200 visible ASCII characters
 * @param requestedBy the token label that sent it: keys of different tokens never meet
 * @param route what the request started: {@code executions} or {@code workflow-runs}
 * @param requestSha256 the SHA-256 of the request body, in lowercase hex: the same key with another
 *     body is an error, never a replay
 * @param runId the run (or workflow run) the first request started
 * @param createdAt when the first request came
 */
public record IdempotencyKey(
    String key,
    String requestedBy,
    String route,
    String requestSha256,
    String runId,
    Instant createdAt) {
  public static final int MAX_LENGTH = 200;
  private static final Pattern VISIBLE_ASCII =
      Pattern.compile("[\\x21-\\x7e]{1," + MAX_LENGTH + "}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public IdempotencyKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(requestSha256, "requestSha256");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!VISIBLE_ASCII.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "an Idempotency-Key is 1 to " + MAX_LENGTH + " visible ASCII characters");
    }
    if (!SHA256_HEX.matcher(requestSha256).matches()) {
      throw new IllegalArgumentException("requestSha256 must be 64 lowercase hex digits");
    }
  }

  /** Whether {@code other} is the same request: same key, sender, route and body. */
  public boolean sameRequestAs(IdempotencyKey other) {
    return key.equals(other.key)
        && requestedBy.equals(other.requestedBy)
        && route.equals(other.route)
        && requestSha256.equals(other.requestSha256);
  }
}
