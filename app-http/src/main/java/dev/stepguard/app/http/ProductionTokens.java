package dev.stepguard.app.http;

import dev.stepguard.composition.ProjectRuntime;
import java.util.Optional;

/** The tokens of the project's history (the token store), as the server's authenticator. */
final class ProductionTokens {
  private ProductionTokens() {}

  static Authenticator authenticator(ProjectRuntime runtime) {
    // Wired to the token store once it exists; until then no token is valid.
    return token -> Optional.empty();
  }
}
