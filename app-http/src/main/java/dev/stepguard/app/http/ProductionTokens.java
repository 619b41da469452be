package dev.stepguard.app.http;

import dev.stepguard.composition.DefaultToken;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.TokenScope;
import dev.stepguard.core.port.TokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project's token store as the server's authenticator. On a first start, when the project has
 * no token at all, the {@code default} token is made and written to {@code .stepguard/token}.
 */
final class ProductionTokens {
  private static final Logger LOG = LoggerFactory.getLogger(ProductionTokens.class);

  private ProductionTokens() {}

  static Authenticator authenticator(ProjectRuntime runtime) {
    if (DefaultToken.ensure(runtime).isPresent()) {
      LOG.info(
          "no API token existed: made the '{}' token (scope run) and wrote it to {} (0600)",
          DefaultToken.LABEL,
          DefaultToken.file(runtime.projectRoot()));
    } else if (runtime.tokens().list().stream().allMatch(ApiToken::revoked)) {
      LOG.warn(
          "every API token of this project is revoked: each request will be refused (401) until"
              + " 'stepguard token create LABEL' makes a new one");
    }
    return of(runtime.tokens());
  }

  /**
   * Finds a presented token by its SHA-256 (the store keeps nothing else), then compares the
   * digests in constant time.
   */
  static Authenticator of(TokenStore tokens) {
    return presented ->
        tokens
            .findBySha256(ApiTokens.sha256Hex(presented))
            .filter(stored -> ApiTokens.matches(presented, stored))
            .map(stored -> new Caller(stored.label(), stored.scope() == TokenScope.RUN));
  }
}
