package dev.stepguard.benchmarks;

import com.google.inject.Module;
import com.google.inject.util.Modules;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.HistoryFilter;
import dev.stepguard.core.model.HistoryPage;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ExecutionStore;
import dev.stepguard.core.port.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the history adds to each execution: the same execution (a launcher that answers at once)
 * with the real H2 history and with a history that keeps nothing, alternated, p50 of the paired
 * differences. That is the write-ahead insert and the closing update, each a durable commit.
 *
 * <p>Usage: {@code HistoryWriteBenchmark [RUNS]} (default 5000, after as many warm-up runs).
 */
public final class HistoryWriteBenchmark {
  private HistoryWriteBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    Path project = Scratch.directory("stepguard-bench-");
    Files.copy(Examples.hello(), project.resolve("hello.py"));
    ScriptExecutor recorded = executor(project, Modules.EMPTY_MODULE);
    ScriptExecutor unrecorded =
        executor(
            Examples.scratchProject(),
            binder -> binder.bind(ExecutionStore.class).toInstance(new NoHistory()));
    ExecutionRequest request =
        ExecutionRequest.standalone(
            "hello.py",
            "{\"name\": \"Ada\", \"password\": \"hidden\"}",
            Duration.ofSeconds(30),
            Duration.ofSeconds(3),
            Limits.defaults(33_000),
            Examples.requester());
    for (int i = 0; i < runs; i++) {
      time(recorded, request);
      time(unrecorded, request);
    }
    Samples with = new Samples(runs);
    Samples without = new Samples(runs);
    Samples difference = new Samples(runs);
    for (int i = 0; i < runs; i++) {
      long a;
      long b;
      if (i % 2 == 0) {
        a = time(recorded, request);
        b = time(unrecorded, request);
      } else {
        b = time(unrecorded, request);
        a = time(recorded, request);
      }
      with.add(a);
      without.add(b);
      difference.add(a - b);
    }
    System.out.println(
        "java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.println(with.summary("execution with the H2 history"));
    System.out.println(without.summary("execution without a history"));
    System.out.println(difference.summary("history write cost per execution"));
    System.out.printf(
        Locale.ROOT,
        "history write cost p50 = %.3f ms (target <= 1 ms)%n",
        difference.percentileMs(50));
  }

  private static ScriptExecutor executor(Path project, Module history) throws IOException {
    return Examples.executor(
        project,
        "isolation: process\n",
        history,
        binder -> binder.bind(ProcessLauncher.class).toInstance(new InstantLauncher()));
  }

  private static long time(ScriptExecutor executor, ExecutionRequest request) {
    long start = System.nanoTime();
    ExecutionRecord record = executor.execute(request);
    long elapsed = System.nanoTime() - start;
    if (record.status() != Status.SUCCEEDED) {
      throw new IllegalStateException("the run failed: " + record.error());
    }
    return elapsed;
  }

  /** A history that keeps nothing: the baseline. */
  static final class NoHistory implements ExecutionStore {
    @Override
    public void insert(ExecutionRecord record) {}

    @Override
    public boolean start(ExecutionRecord running) {
      return true;
    }

    @Override
    public boolean finish(ExecutionRecord record) {
      return true;
    }

    @Override
    public Optional<ExecutionRecord> find(ExecutionId id) {
      return Optional.empty();
    }

    @Override
    public boolean queued(ExecutionId id) {
      return false;
    }

    @Override
    public List<ExecutionRecord> findByPrefix(String prefix, int max) {
      return List.of();
    }

    @Override
    public HistoryPage list(HistoryFilter filter) {
      return new HistoryPage(List.of(), Optional.empty());
    }

    @Override
    public List<ExecutionRecord> running() {
      return List.of();
    }

    @Override
    public long prune(Instant before, int keep) {
      return 0;
    }
  }
}
