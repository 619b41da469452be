package dev.stepguard.core.port;

import dev.stepguard.core.model.IdempotencyKey;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code Idempotency-Key}s of the history: which run each (sender, route, key) started. Claims
 * are atomic across processes sharing the history; writes are durable when the method returns;
 * failures are {@link HistoryUnavailableException}.
 */
public interface IdempotencyKeys {

  /**
   * Claims {@code key} for its run, unless the same sender already claimed the same key on the same
   * route.
   *
   * @return empty when this claim won; otherwise the earlier claim, whatever its body
   */
  Optional<IdempotencyKey> claim(IdempotencyKey key);

  /** Gives up the claim of {@code key} for its run (the run was never started); else nothing. */
  void release(IdempotencyKey key);

  /**
   * Forgets every key first sent before {@code before}: a request repeated after that starts a new
   * run.
   *
   * @return how many keys were forgotten
   */
  int prune(Instant before);
}
