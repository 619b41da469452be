package dev.stepguard.core.port;

import dev.stepguard.core.model.ApiToken;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The API tokens the HTTP server accepts, kept as SHA-256 only, beside the history. Writes are
 * durable when the method returns; failures are {@link HistoryUnavailableException}.
 */
public interface TokenStore {

  /**
   * Adds a token.
   *
   * @throws IllegalArgumentException if a token already has this label, even a revoked one (the
   *     message says when it was revoked): a label names one token forever
   */
  void add(ApiToken token);

  /** The accepted (not revoked) token whose SHA-256 is {@code sha256Hex}, if any. */
  Optional<ApiToken> findBySha256(String sha256Hex);

  /** Every token ever added, revoked ones included, by label. */
  List<ApiToken> list();

  /**
   * Revokes the token labelled {@code label} at {@code at}: it is refused from then on, and kept,
   * so that its label is never given to another token; false when no accepted token has it.
   */
  boolean revoke(String label, Instant at);

  /**
   * Deletes {@code token} (matched by label and SHA-256) as if it had never been added: only for a
   * token that was never handed to anyone (its file could not be written), so that no run can have
   * named it and its label may still be given.
   */
  void withdraw(ApiToken token);
}
