package dev.stepguard.app.http;

import io.javalin.http.Context;
import java.util.Locale;

/** {@code Prefer: respond-async} (RFC 7240): answer once the run is recorded, not at its end. */
final class Prefers {
  private Prefers() {}

  static boolean async(Context ctx) {
    return ctx.headerMap().entrySet().stream()
        .filter(header -> header.getKey().equalsIgnoreCase("Prefer"))
        .flatMap(header -> java.util.Arrays.stream(header.getValue().split(",")))
        .anyMatch(token -> token.trim().toLowerCase(Locale.ROOT).equals("respond-async"));
  }
}
