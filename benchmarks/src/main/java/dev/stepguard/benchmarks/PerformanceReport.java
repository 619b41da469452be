package dev.stepguard.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.adapters.persistence.HistorySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one benchmark command ({@code ./benchmark}): every figure of issue 14 beside its floor,
 * measured in the same run on this machine, printed and written into {@code docs/PERFORMANCE.md}.
 * Never part of the tests' pass or fail.
 *
 * <p>Usage: {@code PerformanceReport ROOT [--quick] [--no-write] [--only SECTION]}: ROOT is the
 * checkout (its launchers {@code stepguard} and {@code stepguard-server} are run as a user runs
 * them); {@code --quick} takes fewer samples and a history of 100,000 instead of 1,000,000 runs;
 * {@code --only} measures the floors and one section ({@code cli}, {@code latency}, {@code
 * throughput}, {@code history}, {@code outputs}) and writes nothing.
 */
public final class PerformanceReport {
  private static final String HELLO_INPUT = Floors.HELLO_INPUT;

  /** The pause before each paced run: longer than a warm interpreter's replacement takes here. */
  private static final int PACE_MS = 100;

  private final Path root;
  private final boolean quick;
  private final String only;
  private final Path work;
  private final Report report = new Report();
  private final String python;
  private Floors floors;

  private PerformanceReport(Path root, boolean quick, String only)
      throws IOException, InterruptedException {
    this.root = root;
    this.quick = quick;
    this.only = only;
    this.work = Files.createTempDirectory("stepguard-perf-");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    this.python = Examples.realExecutable("python3");
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : "..").toAbsolutePath().normalize();
    List<String> flags = List.of(args);
    int onlyAt = flags.indexOf("--only");
    String only = onlyAt >= 0 && onlyAt + 1 < flags.size() ? flags.get(onlyAt + 1) : "";
    PerformanceReport run = new PerformanceReport(root, flags.contains("--quick"), only);
    try {
      run.all();
    } finally {
      run.removeScratch();
    }
    if (!flags.contains("--no-write") && only.isEmpty()) {
      run.report.writeInto(root.resolve("docs").resolve("PERFORMANCE.md"));
      System.out.println("written to docs/PERFORMANCE.md");
    }
  }

  /** Removes the scratch projects (the 7 MB-output history alone is 7 GB). */
  private void removeScratch() throws IOException {
    Scratch.delete(work);
  }

  private int n(int full, int quickly) {
    return quick ? quickly : full;
  }

  private void all() throws Exception {
    report.text(
        "Written by `./benchmark"
            + (quick ? " --quick" : "")
            + "` on "
            + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
            + ". "
            + Machine.describe(python)
            + " Every ratio divides a figure by its floor measured in the same run; p50 unless"
            + " said otherwise.");
    floors = Floors.measure(project("floors"), python, n(20, 8));
    report.heading("Floors");
    report.figure(
        "bare JVM hello (the launcher's JVM flags)",
        Report.ms(floors.jvmHello().percentileMs(50)),
        "",
        "",
        "");
    report.figure("bare cold `python3 -I hello.py`", Report.ms(floors.coldPythonMs()), "", "", "");
    report.figure("command-line floor: the two together", Report.ms(floors.cliMs()), "", "", "");
    if (wanted("cli")) {
      commandLine();
    }
    if (wanted("latency")) {
      httpLatency();
    }
    if (wanted("throughput")) {
      throughputAndMemory();
    }
    if (wanted("history")) {
      historyListing();
    }
    if (wanted("outputs")) {
      listingAgainstOutputSize();
    }
  }

  private boolean wanted(String section) {
    return only.isEmpty() || only.equals(section);
  }

  /**
   * {@code ./stepguard run hello.py} alone and with the project's server running, each alternated
   * run by run with the two floors (a JVM hello, a cold Python hello), so that the ratio holds
   * figures taken side by side; with a server also back to back, against the floors alternated with
   * it.
   */
  private void commandLine() throws Exception {
    report.heading("Command line: `./stepguard run hello.py`");
    Path alone = project("cli-alone");
    Command jvm = Floors.jvmHello(alone);
    Command py = Floors.pythonHello(alone, python);
    List<Samples> withoutServer =
        Command.alternated(
            2,
            n(10, 5),
            List.of(
                jvm, py, cli(alone, env("process", null)), BareStack.prepare(work, alone, python)));
    Path served = project("cli-served");
    Samples backToBack;
    List<Samples> withServer;
    // The command line hands its run to a server whose configuration is its own: the same
    // operator config (the server turns warm interpreters on unless it says otherwise). A server
    // that runs for a project has taken runs before: its first ten hand-offs warm its JIT, as the
    // HTTP figures' first fifth does.
    try (ServerUnderTest server = ServerUnderTest.start(root, served, env("process", null))) {
      backToBack = cli(served, env("process", null)).sample(10, n(20, 10));
      withServer =
          Command.alternated(0, n(20, 10), List.of(jvm, py, cli(served, env("process", null))));
      if (!new HttpRuns(server).newestRanBy(server.pid())) {
        throw new IllegalStateException("the command line did not hand its runs to the server");
      }
    }
    cliFigure("no server, alternated with the floors", withoutServer, null, 2.5);
    cliFigure(
        "bare stack, no server, alternated with them: a JVM (the launcher's flags and a class data"
            + " archive) that opens an H2 file (auto-server), commits a row, runs `python3 -I"
            + " hello.py` and commits its output, nothing else of stepguard",
        withoutServer,
        withoutServer.get(3),
        0);
    cliFigure("the project's server running, alternated with the floors", withServer, null, 1.2);
    // Back to back, each command line starts while the server replaces the warm interpreter the
    // one before took; a person's commands come further apart.
    cliFigure("the project's server running, back to back", withServer, backToBack, 1.2);
  }

  /**
   * One command-line row: {@code figure} (the third of {@code alternated} when null) against the
   * two floors alternated with it, held to {@code target} unless it is 0.
   */
  private void cliFigure(String label, List<Samples> alternated, Samples figure, double target) {
    Samples measured = figure == null ? alternated.get(2) : figure;
    double floor = alternated.get(0).percentileMs(50) + alternated.get(1).percentileMs(50);
    double p50 = measured.percentileMs(50);
    report.figure(
        label,
        Report.ms(p50) + ", " + measured.peakRssKib() / 1024 + " MB",
        Report.ms(floor)
            + " ("
            + Report.ms(alternated.get(0).percentileMs(50))
            + " + "
            + Report.ms(alternated.get(1).percentileMs(50))
            + ")",
        Report.ratio(p50 / floor),
        target > 0 ? Report.atMost(p50 / floor, target) : "");
  }

  private Command cli(Path project, Map<String, String> env) {
    return new Command(
        List.of(
            root.resolve("stepguard").toString(),
            "run",
            "hello.py",
            "--input",
            HELLO_INPUT,
            "--project",
            project.toString()),
        project,
        env,
        new byte[0]);
  }

  /**
   * Sequential hello runs over HTTP, per isolation level, with warm interpreters off and on: each
   * run sent as soon as the one before answered and, warm, also paced, so that a run does not meet
   * the replacement of the one before.
   */
  private void httpLatency() throws Exception {
    report.heading("HTTP: hello latency, one client, every run recorded");
    double cold = floors.coldPythonMs();
    for (String isolation : List.of("process", "sandbox")) {
      if (isolation.equals("sandbox") && !Machine.sandboxWorks()) {
        report.text("Sandbox isolation: not measured, bubblewrap cannot run here.");
        continue;
      }
      double limit = isolation.equals("process") ? 0.5 : 1.0;
      for (boolean warm : List.of(false, true)) {
        Path project = project("http-" + isolation + (warm ? "-warm" : "-cold"));
        try (ServerUnderTest server = ServerUnderTest.start(root, project, env(isolation, warm))) {
          HttpRuns http = new HttpRuns(server);
          int runs = warm ? n(300, 60) : n(60, 20);
          sequential(http, runs / 5, 0);
          latency(
              isolation + (warm ? ", warm" : ", cold"),
              sequential(http, runs, 0),
              cold,
              warm ? limit : 0);
          if (warm) {
            latency(
                isolation + ", warm, " + PACE_MS + " ms between runs",
                sequential(http, runs / 2, PACE_MS),
                cold,
                limit);
          }
        }
      }
      if (isolation.equals("process")) {
        Path project = project("http-bare-forks");
        int runs = n(300, 60);
        for (int pause : List.of(0, PACE_MS)) {
          double bare = BareForks.warmMs(project, python, runs, pause);
          report.figure(
              "bare warm forks, "
                  + (pause == 0 ? "back to back" : pause + " ms between runs")
                  + " (p50): hello in a child forked ahead, its memory copied, nothing of"
                  + " stepguard",
              Report.ms(bare),
              Report.ms(cold) + " (cold python)",
              Report.ratio(bare / cold),
              "");
        }
      }
    }
  }

  /** A latency row: p50 and p99 against a cold start, held to {@code limit} unless it is 0. */
  private void latency(String label, Samples samples, double cold, double limit) {
    double p50 = samples.percentileMs(50);
    report.figure(
        label + " (p50 / p99)",
        Report.ms(p50) + " / " + Report.ms(samples.percentileMs(99)),
        Report.ms(cold) + " (cold python)",
        Report.ratio(p50 / cold),
        limit > 0 ? Report.atMost(p50 / cold, limit) : "");
  }

  /** {@code runs} hello runs one after the other, each {@code pauseMs} after the last answer. */
  private static Samples sequential(HttpRuns http, int runs, int pauseMs) throws Exception {
    Samples samples = new Samples(runs);
    for (int i = 0; i < runs; i++) {
      if (pauseMs > 0) {
        Thread.sleep(pauseMs);
      }
      samples.add(http.run("hello.py", HELLO_INPUT));
    }
    return samples;
  }

  /**
   * Many clients at once against a warm server: throughput with every run recorded, and the
   * server's resident size after 1,000 and after 10,000 runs.
   */
  private void throughputAndMemory() throws Exception {
    report.heading("HTTP: throughput with every run recorded, and the server's memory");
    int total = n(10_000, 2_000);
    int first = total / 10;
    Path project = project("throughput-process");
    double single = BareForks.runsPerSecond(project, python, n(20, 8), 1);
    double bare = BareForks.runsPerSecond(project, python, n(20, 8), 0);
    report.figure(
        "bare forks: hello in a fresh Python forked per run from a warm one (fork, `site`, the"
            + " script, exit), nothing of stepguard, one forker per CPU",
        BareForks.format(bare),
        BareForks.format(single) + " (one forker)",
        Report.ratio(bare / single),
        "");
    try (ServerUnderTest server = ServerUnderTest.start(root, project, env("process", true))) {
      HttpRuns http = new HttpRuns(server);
      Load load = load(http, 8, first);
      long rssFirst = server.residentKib();
      Load rest = load(http, 8, total - first);
      long rssTotal = server.residentKib();
      long recorded = http.count();
      long file = Files.size(project.resolve(".stepguard").resolve("history.mv.db"));
      double perSecond = total / (load.seconds + rest.seconds);
      report.figure(
          "process, warm, 8 clients: runs per second (" + total + " runs)",
          BareForks.format(perSecond),
          BareForks.format(bare) + " (bare forks)",
          Report.ratio(perSecond / bare),
          String.format(Locale.ROOT, "≥ 150 /s %s", perSecond >= 150 ? "(met)" : "(**not met**)"));
      report.figure(
          "latency under that load (p50 / p99)",
          Report.ms(rest.samples.percentileMs(50))
              + " / "
              + Report.ms(rest.samples.percentileMs(99)),
          "",
          "",
          "");
      report.figure(
          "runs recorded in the history / runs answered 201",
          recorded + " / " + total,
          "",
          "",
          recorded == total ? "every run (met)" : "**not every run**");
      report.figure(
          "server resident size after " + first + " / after " + total + " runs",
          rssFirst / 1024 + " MB / " + rssTotal / 1024 + " MB",
          "",
          Report.ratio((double) rssTotal / rssFirst),
          Report.atMost((double) rssTotal / rssFirst, 1.10));
      report.figure(
          "history file after " + total + " runs (server still running)",
          file / (1024 * 1024) + " MB",
          "",
          "",
          "");
    }
    if (Machine.sandboxWorks()) {
      Path sandboxed = project("throughput-sandbox");
      try (ServerUnderTest server = ServerUnderTest.start(root, sandboxed, env("sandbox", true))) {
        Load load = load(new HttpRuns(server), 8, n(1000, 200));
        report.figure(
            "sandbox, warm, 8 clients: runs per second (" + load.samples.size() + " runs)",
            String.format(Locale.ROOT, "%.0f /s", load.samples.size() / load.seconds),
            "",
            "",
            "stated");
      }
    }
  }

  private record Load(Samples samples, double seconds) {}

  /** {@code runs} hello runs from {@code clients} threads; 429 answers are retried, not counted. */
  private static Load load(HttpRuns http, int clients, int runs) throws Exception {
    AtomicInteger left = new AtomicInteger(runs);
    AtomicLong refused = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<Samples>> parts = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      parts.add(
          pool.submit(
              () -> {
                Samples mine = new Samples(runs);
                while (left.getAndDecrement() > 0) {
                  while (true) {
                    try {
                      mine.add(http.run("hello.py", HELLO_INPUT));
                      break;
                    } catch (IllegalStateException e) {
                      if (!e.getMessage().startsWith("run answered 429")) {
                        throw e;
                      }
                      refused.incrementAndGet();
                      Thread.sleep(5);
                    }
                  }
                }
                return mine;
              }));
    }
    List<Samples> samples = new ArrayList<>();
    for (Future<Samples> part : parts) {
      samples.add(part.get());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    if (refused.get() > 0) {
      System.out.println(refused.get() + " answers were 429 and retried");
    }
    return new Load(Samples.merged(samples), seconds);
  }

  /** {@code history list --status FAILED --limit 50} on 10,000 and on 1,000,000 runs. */
  private void historyListing() throws Exception {
    report.heading("History listing on a large history (the query, in one JVM)");
    int large = n(1_000_000, 100_000);
    int repetitions = n(500, 100);
    Samples small = HistoryListBenchmark.measure(work, 10_000, repetitions);
    Samples big = HistoryListBenchmark.measure(work, large, repetitions);
    report.figure(
        "FAILED, limit 50, 10,000 runs (p50 / p99)",
        Report.ms(small.percentileMs(50)) + " / " + Report.ms(small.percentileMs(99)),
        "",
        "",
        "");
    report.figure(
        "FAILED, limit 50, " + String.format(Locale.ROOT, "%,d", large) + " runs (p50 / p99)",
        Report.ms(big.percentileMs(50)) + " / " + Report.ms(big.percentileMs(99)),
        "the 10,000-run listing",
        Report.ratio(big.percentileMs(50) / small.percentileMs(50)),
        Report.atMost(big.percentileMs(50) / small.percentileMs(50), 2));
  }

  /** Listing 1,000 runs of 7 MB output each against 1,000 runs of a few bytes. */
  private void listingAgainstOutputSize() throws Exception {
    report.heading("Listing 1,000 runs of 7 MB output against 1,000 runs of a few bytes");
    int runs = 1000;
    Path small = filled("listing-small", runs, "'{\"rows\": ' || MOD(X, 997) || '}'");
    Path big = filled("listing-big", runs, "'{\"x\": \"' || REPEAT('a', 7000000) || '\"}'");
    int repetitions = n(5, 3);
    Samples cliSmall = new Samples(repetitions);
    Samples cliBig = new Samples(repetitions);
    for (int i = 0; i < repetitions + 1; i++) {
      Command.Run a = list(small).run();
      Command.Run b = list(big).run();
      if (i > 0) {
        cliSmall.add(a.wallNanos());
        cliSmall.noteRss(a.peakRssKib());
        cliBig.add(b.wallNanos());
        cliBig.noteRss(b.peakRssKib());
      }
    }
    report.figure(
        "`history list --limit 1000`: wall",
        Report.ms(cliBig.percentileMs(50)),
        Report.ms(cliSmall.percentileMs(50)) + " (small outputs)",
        Report.ratio(cliBig.percentileMs(50) / cliSmall.percentileMs(50)),
        Report.atMost(cliBig.percentileMs(50) / cliSmall.percentileMs(50), 1.2));
    report.figure(
        "`history list --limit 1000`: peak RSS",
        cliBig.peakRssKib() / 1024 + " MB",
        cliSmall.peakRssKib() / 1024 + " MB",
        Report.ratio((double) cliBig.peakRssKib() / cliSmall.peakRssKib()),
        Report.atMost((double) cliBig.peakRssKib() / cliSmall.peakRssKib(), 1.2));
    Listing httpSmall = httpListing(small);
    Listing httpBig = httpListing(big);
    report.figure(
        "`GET /api/v1/executions?limit=1000`: time",
        Report.ms(httpBig.samples.percentileMs(50)),
        Report.ms(httpSmall.samples.percentileMs(50)) + " (small outputs)",
        Report.ratio(httpBig.samples.percentileMs(50) / httpSmall.samples.percentileMs(50)),
        Report.atMost(httpBig.samples.percentileMs(50) / httpSmall.samples.percentileMs(50), 1.2));
    report.figure(
        "`GET /api/v1/executions?limit=1000`: server RSS after the listings",
        httpBig.rssKib / 1024 + " MB",
        httpSmall.rssKib / 1024 + " MB",
        Report.ratio((double) httpBig.rssKib / httpSmall.rssKib),
        Report.atMost((double) httpBig.rssKib / httpSmall.rssKib, 1.2));
  }

  private record Listing(Samples samples, long rssKib) {}

  private Listing httpListing(Path project) throws Exception {
    try (ServerUnderTest server = ServerUnderTest.start(root, project, env("process", null))) {
      HttpRuns http = new HttpRuns(server);
      int repetitions = n(50, 10);
      // Each history has a fresh server: warm its JIT the same way before timing either.
      for (int i = 0; i < n(30, 10); i++) {
        check(http.list(1000, null));
      }
      Samples samples = new Samples(repetitions);
      for (int i = 0; i < repetitions; i++) {
        long start = System.nanoTime();
        check(http.list(1000, null));
        samples.add(System.nanoTime() - start);
      }
      return new Listing(samples, server.residentKib());
    }
  }

  private static void check(JsonNode page) {
    if (page.path("items").size() != 1000) {
      throw new IllegalStateException("the listing did not return 1,000 runs");
    }
  }

  private Command list(Path project) {
    return new Command(
        List.of(
            root.resolve("stepguard").toString(),
            "history",
            "list",
            "--limit",
            "1000",
            "--project",
            project.toString()),
        project,
        env("process", null),
        new byte[0]);
  }

  /** A project whose history holds {@code runs} succeeded runs with the output {@code output}. */
  private Path filled(String name, int runs, String output) throws Exception {
    Path project = project(name);
    // The store makes the history (schema, credentials) as any command would.
    cli(project, env("process", null)).run();
    try (Connection connection =
            HistoryListBenchmark.connect(
                HistorySettings.forProject(project, work.resolve("state").resolve("stepguard")));
        Statement statement = connection.createStatement()) {
      long start = System.nanoTime();
      for (int from = 1; from <= runs; from += 10) {
        statement.executeUpdate(
            HistoryListBenchmark.insert(from, Math.min(runs, from + 9), output, "FALSE"));
      }
      System.out.printf(
          Locale.ROOT,
          "filled %s with %d runs in %.1f s%n",
          name,
          runs,
          (System.nanoTime() - start) / 1e9);
    }
    return project;
  }

  /** A new project with the hello example, readable by the sandbox's nobody. */
  private Path project(String name) throws IOException {
    Path project = Files.createDirectory(work.resolve(name));
    Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.copy(Examples.hello(), project.resolve("hello.py"));
    Files.setPosixFilePermissions(
        project.resolve("hello.py"), PosixFilePermissions.fromString("rw-r--r--"));
    return project;
  }

  /**
   * The environment of a command: an operator config with the isolation and the warm setting
   * ({@code null}: the default of the command).
   */
  private Map<String, String> env(String isolation, Boolean warm) {
    Path config = work.resolve("config-" + isolation + "-" + warm + ".yaml");
    try {
      if (!Files.exists(config)) {
        Files.writeString(
            config,
            "isolation: "
                + isolation
                + "\n"
                // The interpreter of the floor, not a command looked up on the PATH: a pyenv shim
                // there costs each command line ~0.26 s of bash before Python starts.
                + "python: "
                + python
                + "\n"
                + (warm == null ? "" : "warm:\n  enabled: " + warm + "\n"),
            StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Map.of(
        "STEPGUARD_CONFIG", config.toString(), "XDG_STATE_HOME", work.resolve("state").toString());
  }
}
