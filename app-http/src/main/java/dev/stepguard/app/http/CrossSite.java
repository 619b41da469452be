package dev.stepguard.app.http;

import io.javalin.http.Context;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a state-changing web request that another site may have sent: a foreign {@code Origin}, a
 * {@code Sec-Fetch-Site} other than same-origin, or (once a session exists) a form without the
 * session's CSRF token. The session cookie is also {@code SameSite=Strict}; these checks hold when
 * a browser ignores that.
 */
final class CrossSite {
  /** The hidden form field that carries the session's CSRF token. */
  static final String FIELD = "csrf";

  private static final Set<String> SAME_SITE = Set.of("same-origin", "none");

  private CrossSite() {}

  /**
   * Refuses (403) a request that says it came from another site. A browser's {@code Sec-Fetch-Site}
   * settles it when present (no page can set it): only {@code same-origin} (or {@code none}, a
   * request the user made) passes, whatever the {@code Origin} says — under the pages' {@code
   * Referrer-Policy: no-referrer} that is {@code null}, and behind a TLS proxy it names the proxy's
   * address, not this server's. Without Sec-Fetch-Site, any {@code Origin} must be this server's
   * own.
   */
  static void checkOrigin(Context ctx) {
    String fetchSite = ctx.header("Sec-Fetch-Site");
    if (fetchSite != null) {
      if (!SAME_SITE.contains(fetchSite.toLowerCase(Locale.ROOT))) {
        throw refused("the request came from another site (Sec-Fetch-Site: " + fetchSite + ")");
      }
      return;
    }
    String own = ctx.scheme() + "://" + ctx.host();
    for (String origin : Collections.list(ctx.req().getHeaders("Origin"))) {
      if (!origin.equalsIgnoreCase(own)) {
        throw refused("the request came from another origin (" + origin + ")");
      }
    }
  }

  /** Refuses (403) a form of {@code session} that lacks its CSRF token or comes from elsewhere. */
  static void check(Context ctx, Sessions.Session session, FormBody form) {
    checkOrigin(ctx);
    if (!session.csrfMatches(form.value(FIELD))) {
      throw refused("the form lacks this session's CSRF token; reload the page and try again");
    }
  }

  private static ApiProblem refused(String detail) {
    return new ApiProblem(ProblemType.FORBIDDEN, detail);
  }
}
