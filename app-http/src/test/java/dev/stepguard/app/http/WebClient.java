package dev.stepguard.app.http;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser's side of the web pages, over plain HTTP: a session cookie it got by logging in, the
 * CSRF token its pages carry, and form POSTs sent as a browser would (same Origin).
 */
final class WebClient {
  private static final Pattern COOKIE = Pattern.compile(WebAccess.COOKIE + "=([^;]*)");
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  final TestServer server;
  final String cookie;

  private WebClient(TestServer server, String cookie) {
    this.server = server;
    this.cookie = cookie;
  }

  /** Logs in with {@code token}; fails unless that opens a session. */
  static WebClient login(TestServer server, String token) {
    HttpResponse<String> response = post(server, null, "/login", "token=" + encode(token));
    if (response.statusCode() != 303) {
      throw new AssertionError("login answered " + response.statusCode() + ": " + response.body());
    }
    String header = response.headers().firstValue("Set-Cookie").orElseThrow();
    Matcher matcher = COOKIE.matcher(header);
    if (!matcher.find()) {
      throw new AssertionError("no session cookie in " + header);
    }
    return new WebClient(server, matcher.group(1));
  }

  HttpResponse<String> get(String path) {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .header("Cookie", WebAccess.COOKIE + "=" + cookie)
            .GET()
            .build());
  }

  /** The CSRF token of this session, as its pages carry it. */
  String csrf() {
    Matcher matcher = CSRF.matcher(get("/").body());
    if (!matcher.find()) {
      throw new AssertionError("the history page carries no CSRF token");
    }
    return matcher.group(1);
  }

  HttpResponse<String> post(String path, String form, String... headers) {
    return post(server, cookie, path, form, headers);
  }

  static HttpResponse<String> post(
      TestServer server, String cookie, String path, String form, String... headers) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (cookie != null) {
      builder.header("Cookie", WebAccess.COOKIE + "=" + cookie);
    }
    if (headers.length > 0) {
      builder.headers(headers);
    }
    if (!java.util.Arrays.asList(headers).contains("Origin")) {
      builder.header("Origin", "http://127.0.0.1:" + server.server.port());
    }
    return server.send(builder.build());
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
