package dev.stepguard.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.core.model.IdempotencyKey;
import dev.stepguard.core.port.HistoryUnavailableException;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * {@code Idempotency-Key}: the first request with a key claims it for its run in the history; the
 * same request again (same token, route, key and body) gets that run back; the same key with
 * another body is a 422. "The same body" is the same JSON: key order and whitespace do not count,
 * numbers count as written (as the script sees them). A key is kept for {@link #RETENTION}: keys
 * older than that are forgotten when the server starts and now and then on a claim.
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

  /** How long a key is kept: a client retries within this, or sends a new key. */
  static final Duration RETENTION = Duration.ofHours(24);

  /** How often a claim prunes the keys older than {@link #RETENTION} (one indexed delete). */
  static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

  private final ProjectRuntime runtime;
  private final Clock clock;
  private final AtomicReference<Instant> nextPrune = new AtomicReference<>(Instant.MIN);

  Idempotency(ProjectRuntime runtime, Clock clock) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.clock = Objects.requireNonNull(clock, "clock");
    pruneIfDue();
  }

  /** Forgets the keys older than {@link #RETENTION}, unless that was done a moment ago. */
  void pruneIfDue() {
    Instant now = clock.instant();
    Instant due = nextPrune.get();
    if (now.isBefore(due) || !nextPrune.compareAndSet(due, now.plus(PRUNE_EVERY))) {
      return;
    }
    try {
      runtime.idempotencyKeys().prune(now.minus(RETENTION));
    } catch (HistoryUnavailableException e) {
      nextPrune.set(Instant.MIN);
    }
  }

  /**
   * How long after its claim a key whose run was never recorded is taken as orphaned: the claim and
   * the run's record are milliseconds apart, unless the server died between them (kill -9).
   */
  static final Duration ORPHANED_AFTER = Duration.ofMinutes(1);

  /**
   * Claims the request's key for {@code newRunId}, or says which run claimed it first. A first
   * claim whose run was never recorded and is not going on ({@code known} says false for it) and
   * that is older than {@link #ORPHANED_AFTER} is given up and claimed anew: its server died
   * between the claim and the record, and the key would otherwise answer RUNNING until it is
   * pruned.
   */
  Begin begin(
      Context ctx,
      Caller caller,
      String route,
      ObjectNode body,
      String newRunId,
      Predicate<String> known) {
    String key = ctx.header(HEADER);
    if (key == null) {
      return new Begin.Start(Optional.empty());
    }
    pruneIfDue();
    IdempotencyKey claim;
    try {
      claim =
          new IdempotencyKey(key, caller.label(), route, bodyHash(body), newRunId, clock.instant());
    } catch (IllegalArgumentException e) {
      throw RunRequest.malformed("the " + HEADER + " header is not acceptable: " + e.getMessage());
    }
    Optional<IdempotencyKey> earlier = runtime.idempotencyKeys().claim(claim);
    if (earlier.isPresent()
        && earlier.get().sameRequestAs(claim)
        && earlier.get().createdAt().isBefore(clock.instant().minus(ORPHANED_AFTER))
        && !known.test(earlier.get().runId())) {
      runtime.idempotencyKeys().release(earlier.get());
      earlier = runtime.idempotencyKeys().claim(claim);
    }
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

  /**
   * {@code body} in one spelling whatever the client's: object keys sorted, no whitespace, strings
   * escaped one way, numbers as read (exactly as written, see {@code JsonObjectReader}).
   */
  static String canonical(JsonNode body) {
    StringBuilder text = new StringBuilder(256);
    write(body, text);
    return text.toString();
  }

  private static void write(JsonNode node, StringBuilder text) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      text.append('{');
      for (int i = 0; i < names.size(); i++) {
        text.append(i == 0 ? "" : ",").append(TextNode.valueOf(names.get(i))).append(':');
        write(node.get(names.get(i)), text);
      }
      text.append('}');
    } else if (node.isArray()) {
      text.append('[');
      for (int i = 0; i < node.size(); i++) {
        text.append(i == 0 ? "" : ",");
        write(node.get(i), text);
      }
      text.append(']');
    } else {
      text.append(node);
    }
  }

  /** The hash a key keeps of its request's body: SHA-256 of the {@link #canonical} spelling. */
  static String bodyHash(JsonNode body) {
    return sha256Hex(canonical(body));
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
