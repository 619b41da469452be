package dev.stepguard.app.http;

import io.javalin.http.Context;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Lets a request into {@code /api/} only with a bearer token that an {@link Authenticator} knows,
 * and remembers who the caller is for the handlers and the access log.
 */
final class BearerAuth {
  private static final String CALLER = "stepguard.caller";
  private static final String PREFIX = "bearer ";

  private final Authenticator authenticator;

  BearerAuth(Authenticator authenticator) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
  }

  /** Refuses the request (401) unless it carries a known token. */
  void check(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null
        || header.length() <= PREFIX.length()
        || !header.substring(0, PREFIX.length()).toLowerCase(Locale.ROOT).equals(PREFIX)) {
      throw unauthorized("send the token as 'Authorization: Bearer TOKEN'");
    }
    Optional<Caller> caller = authenticator.authenticate(header.substring(PREFIX.length()).trim());
    if (caller.isEmpty()) {
      throw unauthorized("the bearer token is not valid");
    }
    ctx.attribute(CALLER, caller.get());
  }

  /** The caller of an authenticated request. */
  static Caller caller(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    if (caller == null) {
      throw unauthorized("send the token as 'Authorization: Bearer TOKEN'");
    }
    return caller;
  }

  /** The caller, who must hold a {@code run} token to do {@code what}. */
  static Caller runner(Context ctx, String what) {
    Caller caller = caller(ctx);
    if (!caller.mayRun()) {
      throw new ApiProblem(
          ProblemType.FORBIDDEN,
          "the token '" + caller.label() + "' is read-only; " + what + " needs a 'run' token");
    }
    return caller;
  }

  /** The label for the access log, or "-" before (or without) authentication. */
  static String label(Context ctx) {
    Caller caller = ctx.attribute(CALLER);
    return caller == null ? "-" : caller.label();
  }

  private static ApiProblem unauthorized(String detail) {
    return new ApiProblem(
        ProblemType.UNAUTHORIZED,
        detail,
        Map.of(),
        Map.of("WWW-Authenticate", "Bearer realm=\"stepguard\""));
  }
}
