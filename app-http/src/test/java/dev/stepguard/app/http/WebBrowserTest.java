package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web pages in a real browser (Debian's chromium, driven by its chromedriver through Selenium):
 * log in, see a run that just happened, read its stderr, filter by status, cancel a running run,
 * and a script named with a {@code <script>} tag shown as text. Screenshots of the history and of a
 * run's page are kept in {@code target/screenshots/}.
 */
class WebBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final String TAGGED = "<script>alert(1)</script>.py";

  @TempDir static Path directory;
  private static TestServer server;
  private static ChromeDriverService service;
  private static WebDriver browser;
  private static Path shortTmp;

  @BeforeAll
  static void start() throws IOException {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)");
    server = TestServer.start(directory, "isolation: process\nmaxTimeout: 60s\n");
    server.script(
        "reports/daily.py",
        "import sys\nsys.stdin.read()\nprint('disk 91% full on /var', file=sys.stderr)\n"
            + "print('{\"rows\": 1204}')\n");
    server.script("reports/broken.py", "import sys\nsys.stdin.read()\nsys.exit(3)\n");
    server.script("reports/chatty.py", "print('not json')\n");
    server.script("slow.py", "import sys,time\nsys.stdin.read()\ntime.sleep(50)\nprint('{}')\n");
    server.script(TAGGED, "print('{}')\n");
    for (String script : List.of("reports/daily.py", "reports/broken.py", "reports/chatty.py")) {
      run(script);
    }
    server.post(
        "/api/v1/executions", TestServer.RUN, "{\"script\": \"slow.py\", \"timeout\": \"800ms\"}");
    run("reports/daily.py");
    // The driver and the browser keep their files (home, caches, temporary files) in this test's
    // directory, whoever runs it, and leave nothing behind.
    String home = Files.createDirectories(directory.resolve("home")).toString();
    // Chromium binds its singleton socket in $TMPDIR, and a Unix socket's path has at most 107
    // bytes: the test's own directory is too deep in CI's ordinary-user pass, so the browser gets a
    // short one in the temporary directory the tests were given, removed when the test ends.
    shortTmp =
        Files.createDirectory(
            Path.of(System.getProperty("java.io.tmpdir"), "c" + ProcessHandle.current().pid()));
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withEnvironment(
                java.util.Map.of(
                    "HOME", home,
                    "TMPDIR", shortTmp.toString(),
                    "XDG_CONFIG_HOME", home,
                    "XDG_CACHE_HOME", home))
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1400",
        "--user-data-dir=" + Files.createDirectories(directory.resolve("chromium")));
    options.setCapability("goog:loggingPrefs", java.util.Map.of(LogType.BROWSER, "ALL"));
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    logIn();
  }

  @AfterAll
  static void stop() throws java.io.IOException {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (server != null) {
      server.close();
    }
    if (shortTmp != null) {
      try (java.util.stream.Stream<Path> files = Files.walk(shortTmp)) {
        for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private static String run(String script) {
    HttpResponse<String> response =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": " + quoted(script) + ", \"inputs\": {\"day\": \"2026-11-30\"}}");
    assertThat(response.statusCode()).as(response.body()).isIn(201, 422);
    return ExecutionsApiTest.json(response).get("id").asText();
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void logIn() {
    browser.get(server.uri("/").toString());
    browser.findElement(By.id("token")).sendKeys(TestServer.RUN);
    browser.findElement(By.cssSelector("form.login button")).click();
    waitFor().until(driver -> !driver.findElements(By.cssSelector("table.runs")).isEmpty());
  }

  /**
   * A wait that looks again when the page it looked at was replaced: a live run's page reloads
   * every 2 seconds, so an element found on it can be gone before it is read or clicked.
   */
  private static FluentWait<WebDriver> waitFor() {
    return new WebDriverWait(browser, Duration.ofSeconds(40))
        .ignoring(StaleElementReferenceException.class);
  }

  private static void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> column(String selector) {
    return browser.findElements(By.cssSelector(selector)).stream()
        .map(WebElement::getText)
        .toList();
  }

  @Test
  void showsARunThatJustHappenedAndItsStderr() {
    String id = run("reports/daily.py");

    browser.get(server.uri("/").toString());
    assertThat(browser.findElement(By.cssSelector("table.runs tbody tr td a")).getText())
        .isEqualTo(id.substring(0, 8));
    assertThat(browser.findElement(By.cssSelector("svg.statuses"))).isNotNull();
    screenshot("history.png");
    browser.findElement(By.linkText(id.substring(0, 8))).click();

    waitFor().until(driver -> driver.getCurrentUrl().endsWith("/runs/" + id));
    assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("SUCCEEDED");
    assertThat(browser.findElement(By.id("stderr")).getText()).contains("disk 91% full on /var");
    assertThat(browser.findElement(By.id("output")).getText()).contains("1204");
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("token ci");
    WebElement started = browser.findElement(By.cssSelector("dl.facts time"));
    assertThat(started.getAttribute("title"))
        .as("the page's script moved the UTC text to the title")
        .endsWith(" UTC");
    screenshot("run.png");
  }

  @Test
  void reachesARunWithTheKeyboardAloneWithVisibleFocus() {
    browser.get(server.uri("/").toString());

    WebElement focused = browser.switchTo().activeElement();
    for (int i = 0; i < 40 && !isRunLink(focused); i++) {
      focused.sendKeys(Keys.TAB);
      focused = browser.switchTo().activeElement();
    }
    assertThat(isRunLink(focused)).as("a run's link is reached with Tab").isTrue();
    assertThat(focused.getCssValue("outline-style")).isNotEqualTo("none");
    String href = focused.getAttribute("href");
    focused.sendKeys(Keys.ENTER);

    waitFor().until(driver -> driver.getCurrentUrl().equals(href));
    assertThat(browser.findElement(By.id("stderr"))).isNotNull();
  }

  private static boolean isRunLink(WebElement element) {
    String href = element.getAttribute("href");
    return "a".equals(element.getTagName()) && href != null && href.contains("/runs/");
  }

  @Test
  void fitsAPhoneScreenWithoutSidewaysScrolling() {
    browser.manage().window().setSize(new Dimension(390, 844));
    try {
      for (String path : List.of("/", "/runs/" + run("reports/daily.py"))) {
        browser.get(server.uri(path).toString());
        Object fits =
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return document.documentElement.scrollWidth"
                        + " <= document.documentElement.clientWidth");
        assertThat(fits).as(path + " fits 390 px").isEqualTo(Boolean.TRUE);
      }
      screenshot("phone-run.png");
    } finally {
      browser.manage().window().setSize(new Dimension(1280, 1400));
    }
  }

  @Test
  void breaksNoRuleOfItsContentSecurityPolicy() {
    browser.manage().logs().get(LogType.BROWSER);
    for (String path : List.of("/", "/?status=FAILED", "/runs/" + run("reports/broken.py"))) {
      browser.get(server.uri(path).toString());
    }

    assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
        .extracting(LogEntry::getMessage)
        .noneMatch(message -> message.contains("Content Security Policy"));
  }

  @Test
  void filtersTheHistoryByStatus() {
    browser.get(server.uri("/").toString());
    new Select(browser.findElement(By.id("f-status"))).selectByValue("FAILED");
    browser.findElement(By.cssSelector("form.filters button")).click();

    waitFor().until(driver -> driver.getCurrentUrl().contains("status=FAILED"));
    assertThat(column("table.runs tbody td .status")).isNotEmpty().containsOnly("FAILED");
    assertThat(column("table.runs tbody td.script")).containsOnly("reports/broken.py");
  }

  @Test
  void cancelsARunningRunFromItsPage() {
    HttpResponse<String> accepted =
        server.post(
            "/api/v1/executions",
            TestServer.RUN,
            "{\"script\": \"slow.py\", \"timeout\": \"55s\"}",
            "Prefer",
            "respond-async");
    String id = ExecutionsApiTest.json(accepted).get("id").asText();

    String page = server.uri("/runs/" + id).toString();
    browser.get(page);
    String status = waitFor().until(driver -> driver.findElement(By.id("status")).getText());
    assertThat(status).startsWith("RUNNING");

    // The page reloads every 2 seconds while the run lives, so a click can meet a page on its way
    // out and be lost, or go through and still throw: the button is clicked again, 3 seconds
    // apart, while the run shows no end (a second request can only stop it sooner), and a click
    // that came after the end (the "already ended" page) leads back to the run's page.
    AtomicLong clickedAt = new AtomicLong(System.nanoTime() - 4_000_000_000L);
    waitFor()
        .until(
            driver -> {
              List<WebElement> shown = driver.findElements(By.id("status"));
              if (shown.isEmpty()) {
                driver.get(page);
                return false;
              }
              if (shown.get(0).getText().equals("CANCELLED")) {
                return true;
              }
              List<WebElement> cancel = driver.findElements(By.id("cancel"));
              if (!cancel.isEmpty() && System.nanoTime() - clickedAt.get() > 3_000_000_000L) {
                clickedAt.set(System.nanoTime());
                cancel.get(0).click();
              }
              return false;
            });
    assertThat(browser.findElements(By.id("cancel"))).isEmpty();
    assertThat(browser.findElement(By.tagName("body")).getText()).contains("cancel request");
  }

  @Test
  void showsAScriptNameWithAScriptTagAsText() {
    String id = run(TAGGED);

    browser.get(server.uri("/?script=" + WebClient.encode("<script>*")).toString());
    assertThat(column("table.runs tbody td.script")).contains(TAGGED);
    browser.get(server.uri("/runs/" + id).toString());

    assertThat(browser.findElement(By.id("script")).getText()).isEqualTo(TAGGED);
    assertThatThrownBy(() -> browser.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
  }
}
