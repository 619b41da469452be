package dev.stepguard.app.http;

import static dev.stepguard.app.http.ExecutionsApiTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who sees the web pages: without a session only the login form (and no run data), a session only
 * for a known token, a cookie that is HttpOnly and SameSite=Strict and opens no API route, strict
 * security headers on every page, and logout.
 */
class WebAccessTest {
  @TempDir static Path directory;
  private static TestServer server;
  private static String secretRun;

  @BeforeAll
  static void start() {
    server = TestServer.start(directory, "isolation: process\n");
    server.script(
        "confidential-report.py",
        "import sys\nsys.stdin.read()\nprint('stderr-of-the-report', file=sys.stderr)\n"
            + "print('{}')\n");
    HttpResponse<String> run =
        server.post(
            "/api/v1/executions", TestServer.RUN, "{\"script\": \"confidential-report.py\"}");
    assertThat(run.statusCode()).as(run.body()).isEqualTo(201);
    secretRun = json(run).get("id").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void showsOnlyTheLoginFormWithoutASession() {
    HttpResponse<String> history = server.get("/", null);
    HttpResponse<String> run = server.get("/runs/" + secretRun, null);
    HttpResponse<String> filtered = server.get("/?status=SUCCEEDED", null);

    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(history.body()).contains("name=\"token\"").doesNotContain("confidential-report");
    assertThat(run.statusCode()).isEqualTo(401);
    assertThat(run.body())
        .contains("name=\"token\"")
        .doesNotContain("stderr-of-the-report")
        .doesNotContain("confidential-report");
    assertThat(filtered.body()).doesNotContain("confidential-report");
  }

  @Test
  void showsTheLoginFormForAnUnknownOrEndedSessionCookie() {
    HttpResponse<String> response =
        server.send(
            HttpRequest.newBuilder(server.uri("/runs/" + secretRun))
                .header("Cookie", WebAccess.COOKIE + "=made-up-session-id")
                .build());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).doesNotContain("stderr-of-the-report");
  }

  @Test
  void refusesAWrongTokenWithTheFormAgainAndNoCookie() {
    HttpResponse<String> response = WebClient.post(server, null, "/login", "token=not-a-token");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("not valid").doesNotContain("not-a-token");
    assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void setsAnHttpOnlyStrictSessionCookieAtLogin() {
    HttpResponse<String> response =
        WebClient.post(server, null, "/login", "token=" + TestServer.READ);

    assertThat(response.statusCode()).isEqualTo(303);
    assertThat(response.headers().firstValue("Location")).hasValue("/");
    String cookie = response.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .containsPattern(WebAccess.COOKIE + "=[A-Za-z0-9_-]{43};")
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .contains("Path=/")
        .as("plain HTTP here: Secure is for TLS")
        .doesNotContain("Secure");
  }

  @Test
  void refusesALoginPostedFromAnotherSite() {
    HttpResponse<String> foreign =
        WebClient.post(
            server,
            null,
            "/login",
            "token=" + TestServer.RUN,
            "Origin",
            "https://attacker.example");

    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void acceptsALoginThatTheBrowserSaysIsSameOriginBehindATlsProxy() {
    HttpResponse<String> proxied =
        WebClient.post(
            server,
            null,
            "/login",
            "token=" + TestServer.READ,
            "Origin",
            "https://stepguard.example.com",
            "Sec-Fetch-Site",
            "same-origin",
            "X-Forwarded-Proto",
            "https");

    assertThat(proxied.statusCode()).isEqualTo(303);
    assertThat(proxied.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
  }

  @Test
  void aSessionCookieOpensNoApiRoute() {
    WebClient browser = WebClient.login(server, TestServer.RUN);

    HttpResponse<String> api =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/v1/executions/" + secretRun))
                .header("Cookie", WebAccess.COOKIE + "=" + browser.cookie)
                .build());

    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.body()).doesNotContain("stderr-of-the-report");
  }

  @Test
  void showsTheHistoryAndARunToASession() {
    WebClient browser = WebClient.login(server, TestServer.READ);

    HttpResponse<String> history = browser.get("/");
    HttpResponse<String> run = browser.get("/runs/" + secretRun);

    assertThat(history.statusCode()).isEqualTo(200);
    assertThat(history.body()).contains("confidential-report.py").contains("<svg");
    assertThat(run.statusCode()).isEqualTo(200);
    assertThat(run.body())
        .contains("stderr-of-the-report")
        .contains("SUCCEEDED")
        .contains("token ci")
        .doesNotContain("Cancel this run");
  }

  @Test
  void sendsStrictSecurityHeadersOnEveryPageAndEveryAnswerOutsideTheApi() {
    WebClient browser = WebClient.login(server, TestServer.READ);

    for (HttpResponse<String> page :
        java.util.List.of(
            server.get("/", null),
            browser.get("/"),
            browser.get("/runs/" + secretRun),
            browser.get("/assets/style.css"),
            browser.get("/no-such-page"),
            browser.get("/logout"),
            WebClient.post(server, null, "/login", "token=" + "x".repeat(8192)))) {
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .hasValue(
              "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self';"
                  + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    }
  }

  @Test
  void servesItsOwnAssetsAndLinksNoOtherHost() {
    HttpResponse<String> style = server.get("/assets/style.css", null);
    HttpResponse<String> script = server.get("/assets/web.js", null);
    String page = WebClient.login(server, TestServer.READ).get("/").body();

    assertThat(style.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
    assertThat(script.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/javascript");
    assertThat(script.body()).contains("time[datetime]");
    assertThat(page).doesNotContainPattern("(src|href)=\"(https?:)?//");
  }

  @Test
  void refusesALogoutPostedFromAnotherSiteThatCarriesNoCookie() {
    for (String[] foreign :
        List.of(
            new String[] {"Sec-Fetch-Site", "cross-site"},
            new String[] {"Origin", "https://attacker.example"})) {
      HttpResponse<String> logout = WebClient.post(server, null, "/logout", "", foreign);

      assertThat(logout.statusCode()).isEqualTo(403);
      assertThat(logout.headers().firstValue("Set-Cookie")).isEmpty();
    }
  }

  @Test
  void endsTheSessionAtLogoutWithItsCsrfTokenOnly() {
    WebClient browser = WebClient.login(server, TestServer.READ);

    HttpResponse<String> forged = browser.post("/logout", "csrf=wrong");
    HttpResponse<String> stillIn = browser.get("/");
    HttpResponse<String> logout = browser.post("/logout", "csrf=" + browser.csrf());
    HttpResponse<String> after = browser.get("/runs/" + secretRun);

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(stillIn.body()).contains("confidential-report.py");
    assertThat(logout.statusCode()).isEqualTo(303);
    assertThat(logout.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.body()).doesNotContain("stderr-of-the-report");
  }

  @Test
  void refusesAFormBodyLargerThanAPageSends() {
    HttpResponse<String> response =
        WebClient.post(server, null, "/login", "token=" + "x".repeat(10_000));

    assertThat(response.statusCode()).isEqualTo(413);
  }
}
