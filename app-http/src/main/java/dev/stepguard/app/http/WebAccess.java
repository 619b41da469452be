package dev.stepguard.app.http;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a web request comes from and how a page goes out: the session cookie, login and logout, the
 * small form bodies of the pages' POSTs, the security headers every page carries, and rendering
 * with the precompiled jte templates (HTML output escaping on).
 */
final class WebAccess {
  static final String COOKIE = "stepguard_session";

  private static final String VIEWER = "stepguard.viewer";

  /** The largest form body a page sends (a token, a CSRF token): anything larger is refused. */
  static final long MAX_FORM_BYTES = 4096;

  static final String CSP =
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self';"
          + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private static final TemplateEngine TEMPLATES =
      TemplateEngine.createPrecompiled(
          null, ContentType.Html, WebAccess.class.getClassLoader(), "dev.stepguard.app.http");

  private final Sessions sessions;
  private final RequestBodies forms;

  WebAccess(Sessions sessions, RequestBodies forms) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.forms = Objects.requireNonNull(forms, "forms");
  }

  /** Reads a POST's small form body ahead, holding no thread while it arrives. */
  void readForm(Context ctx) {
    if (ctx.method() == HandlerType.POST) {
      ctx.future(() -> forms.readAhead(ctx));
    }
  }

  FormBody form(Context ctx) {
    return FormBody.parse(forms.bytes(ctx));
  }

  /** The session the request's cookie names, if it is still open; the access log names it. */
  Optional<Sessions.Session> session(Context ctx) {
    Optional<Sessions.Session> session = sessions.find(ctx.cookie(COOKIE));
    session.ifPresent(open -> ctx.attribute(VIEWER, open.caller().label()));
    return session;
  }

  /** The access log's name for a page's viewer ({@code web:LABEL}), or null for none. */
  static String viewer(Context ctx) {
    String label = ctx.attribute(VIEWER);
    return label == null ? null : "web:" + label;
  }

  /** {@code POST /login}: opens a session for a known token, or shows the form again (401). */
  void login(Context ctx) {
    headers(ctx);
    CrossSite.checkOrigin(ctx);
    String token = form(ctx).value("token");
    Optional<Sessions.Session> opened = sessions.open(token == null ? null : token.trim());
    if (opened.isEmpty()) {
      ctx.status(HttpStatus.UNAUTHORIZED);
      render(ctx, "login.jte", new Pages.Login("That token is not valid here."));
      return;
    }
    sessions.close(ctx.cookie(COOKIE));
    Sessions.Session session = opened.get();
    ctx.header("Set-Cookie", cookie(ctx, session.id(), false));
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  /** {@code POST /logout}: ends the session (its CSRF token required) and forgets the cookie. */
  void logout(Context ctx) {
    headers(ctx);
    // First, session or not: a cross-site POST carries no SameSite=Strict cookie, and the answer's
    // expired cookie would still log the browser out.
    CrossSite.checkOrigin(ctx);
    Optional<Sessions.Session> session = session(ctx);
    if (session.isPresent()) {
      CrossSite.check(ctx, session.get(), form(ctx));
      sessions.close(session.get().id());
    }
    ctx.header("Set-Cookie", cookie(ctx, "", true));
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  /** Shows the login form, with no run data, to a request without a session. */
  void loginForm(Context ctx, HttpStatus status) {
    headers(ctx);
    ctx.status(status);
    render(ctx, "login.jte", new Pages.Login(null));
  }

  private static String cookie(Context ctx, String value, boolean expire) {
    StringBuilder cookie =
        new StringBuilder(COOKIE).append('=').append(value).append("; Path=/; HttpOnly");
    cookie.append("; SameSite=Strict");
    // Secure over TLS, also when a TLS proxy says so: a client that claims it falsely over plain
    // HTTP only gets a cookie its browser will not send back.
    if ("https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"))) {
      cookie.append("; Secure");
    }
    if (expire) {
      cookie.append("; Max-Age=0");
    }
    return cookie.toString();
  }

  /** The headers every page and asset carries. */
  static void headers(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Frame-Options", "DENY");
  }

  /** Renders {@code template} with its one parameter as an HTML page. */
  static void render(Context ctx, String template, Object model) {
    StringOutput out = new StringOutput();
    TEMPLATES.render(template, model, new VisibleHtmlOutput(out));
    ctx.contentType("text/html; charset=utf-8").result(out.toString());
  }
}
