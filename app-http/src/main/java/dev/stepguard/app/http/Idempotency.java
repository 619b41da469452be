package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.core.model.IdempotencyKey;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code Idempotency-Key}: the first request with a key claims it for its run in the history; the
 * same request again (same token, route, key and body) gets that run back; the same key with
 * another body is a 422.
 */
final class Idempotency {
  static final String HEADER = "Idempotency-Key";

  /** What a request that starts a run does about its key. */
  sealed interface Begin {
    /** Start the run; {@code claim} is the key it claimed, to release if the run cannot start. */
    record Start(Optional<IdempotencyKey> claim) implements Begin {}

    /** Do not start anything: answer with the run an earlier request started. */
    record Replay(String runId) implements Begin {}
  }

  private final ProjectRuntime runtime;
  private final Clock clock;

  Idempotency(ProjectRuntime runtime, Clock clock) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Begin begin(Context ctx, Caller caller, String route, ObjectNode body, String newRunId) {
    String key = ctx.header(HEADER);
    if (key == null) {
      return new Begin.Start(Optional.empty());
    }
    IdempotencyKey claim;
    try {
      claim =
          new IdempotencyKey(
              key, caller.label(), route, sha256Hex(body.toString()), newRunId, clock.instant());
    } catch (IllegalArgumentException e) {
      throw RunRequest.malformed("the " + HEADER + " header is not acceptable: " + e.getMessage());
    }
    Optional<IdempotencyKey> earlier = runtime.idempotencyKeys().claim(claim);
    if (earlier.isEmpty()) {
      return new Begin.Start(Optional.of(claim));
    }
    if (!earlier.get().sameRequestAs(claim)) {
      throw new ApiProblem(
          ProblemType.IDEMPOTENCY_KEY_REUSED,
          "the "
              + HEADER
              + " '"
              + key
              + "' was first sent with another body; send a new key for a new request",
          Map.of("runId", earlier.get().runId()),
          Map.of());
    }
    return new Begin.Replay(earlier.get().runId());
  }

  /** Gives the key back when its run could not start (queue full, shutting down). */
  void release(Begin begin) {
    if (begin instanceof Begin.Start start) {
      start.claim().ifPresent(claim -> runtime.idempotencyKeys().release(claim));
    }
  }

  private static String sha256Hex(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
