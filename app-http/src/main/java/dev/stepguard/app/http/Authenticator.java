package dev.stepguard.app.http;

import java.util.Optional;

/** Tells who holds a bearer token: the caller, or empty for a token nobody was given. */
@FunctionalInterface
public interface Authenticator {
  /**
   * The caller that {@code bearerToken} stands for. Implementations compare in constant time and
   * never log the token.
   */
  Optional<Caller> authenticate(String bearerToken);
}
