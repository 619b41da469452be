package dev.stepguard.benchmarks;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import dev.stepguard.adapters.persistence.HistorySettings;
import dev.stepguard.adapters.persistence.JdbcHistoryModule;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ExecutionStore;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * How {@code history list --status FAILED --limit 50} scales: the same query on a history of 10,000
 * runs and on one of 1,000,000 runs (one in ten FAILED, spread over the months), p50 of many
 * repetitions each, through the real store and {@link HistoryQueries}.
 *
 * <p>Usage: {@code HistoryListBenchmark [SMALL] [LARGE] [REPETITIONS]} (defaults 10000, 1000000,
 * 2000). Filling the large history takes a minute; it is written with one SQL statement per 100,000
 * rows into a scratch project.
 */
public final class HistoryListBenchmark {
  private static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
  private static final int CHUNK = 100_000;

  private HistoryListBenchmark() {}

  public static void main(String[] args) throws Exception {
    int small = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int large = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
    System.out.println(
        "java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    Path scratch = Files.createTempDirectory("stepguard-history-bench-");
    Samples smallTimes;
    Samples largeTimes;
    try {
      smallTimes = measure(scratch, small, repetitions);
      largeTimes = measure(scratch, large, repetitions);
    } finally {
      Scratch.delete(scratch);
    }
    System.out.println(smallTimes.summary("list FAILED limit 50, " + small + " runs"));
    System.out.println(largeTimes.summary("list FAILED limit 50, " + large + " runs"));
    System.out.printf(
        Locale.ROOT,
        "p50 ratio large/small = %.2f (target <= 2)%n",
        largeTimes.percentileMs(50) / smallTimes.percentileMs(50));
  }

  /** Lists a history of {@code runs} runs made in a new project under {@code scratch}. */
  static Samples measure(Path scratch, int runs, int repetitions) throws Exception {
    Path project = Files.createTempDirectory(scratch, "history-");
    Injector injector =
        Guice.createInjector(
            new JdbcHistoryModule(HistorySettings.forProject(project)),
            binder -> binder.bind(Clock.class).toInstance(Clock.systemUTC()));
    ExecutionStore store = injector.getInstance(ExecutionStore.class);
    HistoryQueries queries = injector.getInstance(HistoryQueries.class);
    if (!store.running().isEmpty()) {
      throw new IllegalStateException("a new history has no runs");
    }
    // The history is closed before its project is removed: closed at the JVM's exit instead, it
    // made its .stepguard directory again in the removed project.
    try {
      return fillAndList(project, queries, runs, repetitions);
    } finally {
      closeAll(injector);
    }
  }

  private static Samples fillAndList(
      Path project, HistoryQueries queries, int runs, int repetitions) throws Exception {
    try (Connection connection = connect(project);
        Statement statement = connection.createStatement()) {
      long filling = System.nanoTime();
      for (int from = 1; from <= runs; from += CHUNK) {
        statement.executeUpdate(insert(from, Math.min(runs, from + CHUNK - 1)));
      }
      System.out.printf(
          Locale.ROOT, "filled %d runs in %.1f s%n", runs, (System.nanoTime() - filling) / 1e9);
      HistoryFilter filter = HistoryFilter.all(50).withStatus(Status.FAILED);
      Samples samples = new Samples(repetitions);
      for (int i = 0; i < 2 * repetitions; i++) {
        // H2 hands back a query's previous result while its table is unchanged: touch the table
        // before each listing so that every listing is really read.
        statement.executeUpdate(TOUCH);
        long start = System.nanoTime();
        HistoryPage page = queries.list(filter);
        long elapsed = System.nanoTime() - start;
        check(page);
        if (i >= repetitions) {
          samples.add(elapsed);
        }
      }
      return samples;
    }
  }

  private static void closeAll(Injector injector) throws Exception {
    for (AutoCloseable closeable :
        injector.getInstance(Key.get(new TypeLiteral<Set<AutoCloseable>>() {}))) {
      closeable.close();
    }
  }

  private static final String TOUCH =
      "UPDATE executions SET cpu_ms = cpu_ms + 1 WHERE seq = (SELECT MAX(seq) FROM executions)";

  private static void check(HistoryPage page) {
    if (page.items().size() != 50 || page.items().get(0).status() != Status.FAILED) {
      throw new IllegalStateException("the listing did not return 50 FAILED runs");
    }
  }

  /** A plain JDBC connection to the project's history, beside the store's own. */
  private static Connection connect(Path project) throws SQLException, IOException {
    return connect(HistorySettings.forProject(project));
  }

  /** A plain JDBC connection to the history {@code settings} name, beside the store's own. */
  static Connection connect(HistorySettings settings) throws SQLException, IOException {
    Properties credentials = new Properties();
    try (Reader reader =
        Files.newBufferedReader(settings.credentialsFile().orElseThrow(), StandardCharsets.UTF_8)) {
      credentials.load(reader);
    }
    String url = settings.url() + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE";
    return DriverManager.getConnection(
        url, credentials.getProperty("user"), credentials.getProperty("password"));
  }

  /** Adds the closed runs {@code from} to {@code to} straight into the table, in one statement. */
  private static String insert(int from, int to) {
    return insert(from, to, "'{\"rows\": ' || MOD(X, 997) || '}'", "MOD(X, 10) = 0");
  }

  /**
   * Adds the closed runs {@code from} to {@code to} in one statement: those where {@code failed}
   * holds FAILED, the others SUCCEEDED with the output {@code outputSql} (SQL expressions of the
   * run's number {@code X}).
   */
  static String insert(int from, int to, String outputSql, String failed) {
    return "INSERT INTO executions (seq, id, status, script, inputs, output, exit_code,"
        + " signal_name, ended_by, stderr, stderr_truncated, error_code, error_message,"
        + " started_at, finished_at, duration_ms, timeout_ms, limits, isolation,"
        + " interpreter_path, interpreter_version, script_sha256, input_bytes, output_bytes,"
        + " cpu_ms, max_rss_kib, requested_via, requested_by, supervisor_host, supervisor_pid,"
        + " supervisor_started_at, process_host, process_pid, process_started_at,"
        + " workflow_run_id, step_id) SELECT"
        + " ("
        + T0
        + " + X * 1000) * 1048576 + MOD(X * 7919, 1048576),"
        + " CAST(RANDOM_UUID() AS VARCHAR),"
        + " CASE WHEN "
        + failed
        + " THEN 'FAILED' ELSE 'SUCCEEDED' END,"
        + " 'scripts/step_' || MOD(X, 20) || '.py',"
        + " '{\"order\": ' || X || ', \"region\": \"eu\"}',"
        + " CASE WHEN "
        + failed
        + " THEN NULL ELSE "
        + outputSql
        + " END,"
        + " CASE WHEN "
        + failed
        + " THEN 1 ELSE 0 END, NULL, NULL,"
        + " CASE WHEN "
        + failed
        + " THEN 'Traceback (most recent call last):\n  ValueError: bad row' ELSE '' END,"
        + " FALSE,"
        + " CASE WHEN "
        + failed
        + " THEN 'FAILED' ELSE NULL END,"
        + " CASE WHEN "
        + failed
        + " THEN 'scripts/step.py FAILED: the script exited with code 1.' ELSE NULL END,"
        + " "
        + T0
        + " + X * 1000, "
        + T0
        + " + X * 1000 + 40, 40, 30000,"
        + " '{\"cpuTimeMs\":33000,\"memoryBytes\":1073741824,\"fileSizeBytes\":67108864,"
        + "\"openFiles\":256,\"processes\":64,\"stdoutBytes\":10485760,\"stderrTailBytes\":65536,"
        + "\"inputBytes\":4194304,\"jsonDepth\":200,\"tmpBytes\":67108864}',"
        + " 'SANDBOX', '/usr/bin/python3', '3.11.2', REPEAT('ab', 32), 30, "
        + "COALESCE(OCTET_LENGTH(CASE WHEN "
        + failed
        + " THEN NULL ELSE "
        + outputSql
        + " END), 0), 5, 9000,"
        + " 'CLI', 'bench', 'bench-host', 4242, "
        + T0
        + ", 'bench-host', 4343, "
        + T0
        + ", NULL, NULL FROM SYSTEM_RANGE("
        + from
        + ", "
        + to
        + ")";
  }
}
