package dev.stepguard.core.port;

import dev.stepguard.core.model.ApiToken;
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
   * @throws IllegalArgumentException if a token already has this label
   */
  void add(ApiToken token);

  /** The token whose SHA-256 is {@code sha256Hex}, if any. */
  Optional<ApiToken> findBySha256(String sha256Hex);

  /** Every token, by label. */
  List<ApiToken> list();

  /** Removes the token labelled {@code label}; false when there is none. */
  boolean revoke(String label);
}
