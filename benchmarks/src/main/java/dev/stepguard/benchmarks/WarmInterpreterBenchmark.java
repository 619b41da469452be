package dev.stepguard.benchmarks;

import com.google.inject.util.Modules;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ExecutionStore;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hello run through the executor ({@code process} isolation, history recorded) with each run
 * starting its own interpreter (cold) and with warm interpreters (a fork server's child per run):
 * latency of runs one at a time, alternating, then runs per second with {@code THREADS} threads.
 *
 * <p>Usage: {@code WarmInterpreterBenchmark [RUNS] [THREADS] [SECONDS] [PYTHON]} (defaults 200, 4,
 * 10, python3).
 */
public final class WarmInterpreterBenchmark {
  private static final String INPUT = "{\"name\": \"Ada\"}";
  private static final int WARMUP = 50;

  private WarmInterpreterBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    String python = Examples.realExecutable(args.length > 3 ? args[3] : "python3");
    String process = "python: " + python + "\nisolation: process\n";
    String warmProcess = process + "warm: {enabled: true}\n";
    ScriptExecutor cold = Examples.executor(Examples.scratchProject(), process);
    ScriptExecutor warm = Examples.executor(Examples.scratchProject(), warmProcess);
    ScriptExecutor coldUnrecorded = unrecorded(process);
    ScriptExecutor warmUnrecorded = unrecorded(warmProcess);
    ExecutionRequest request =
        ExecutionRequest.standalone(
            "hello.py",
            INPUT,
            Duration.ofSeconds(30),
            Duration.ofSeconds(3),
            Limits.defaults(30_000),
            Examples.requester());
    List<ScriptExecutor> executors = List.of(cold, warm, coldUnrecorded, warmUnrecorded);
    for (int i = 0; i < WARMUP; i++) {
      for (ScriptExecutor executor : executors) {
        run(executor, request);
      }
    }
    List<Samples> samples = new ArrayList<>();
    executors.forEach(executor -> samples.add(new Samples(runs)));
    for (int i = 0; i < runs; i++) {
      for (int e = 0; e < executors.size(); e++) {
        samples.get(e).add(run(executors.get(e), request));
      }
    }
    System.out.println("interpreter: " + python + " (" + Examples.version(python) + ")");
    System.out.println(samples.get(0).summary("cold (an interpreter per run)"));
    System.out.println(samples.get(1).summary("warm (a fork server's child per run)"));
    System.out.println(samples.get(2).summary("cold, no history"));
    System.out.println(samples.get(3).summary("warm, no history"));
    System.out.printf(
        Locale.ROOT,
        "runs/s with %d threads for %d s: cold %.1f, warm %.1f%n",
        threads,
        seconds,
        throughput(cold, request, threads, seconds),
        throughput(warm, request, threads, seconds));
    System.out.printf(
        Locale.ROOT,
        "runs/s with %d threads for %d s, no history: cold %.1f, warm %.1f%n",
        threads,
        seconds,
        throughput(coldUnrecorded, request, threads, seconds),
        throughput(warmUnrecorded, request, threads, seconds));
    System.exit(0);
  }

  private static ScriptExecutor unrecorded(String operatorConfig) throws IOException {
    return Examples.executor(
        Examples.scratchProject(),
        operatorConfig,
        binder ->
            binder.bind(ExecutionStore.class).toInstance(new HistoryWriteBenchmark.NoHistory()),
        Modules.EMPTY_MODULE);
  }

  private static double throughput(
      ScriptExecutor executor, ExecutionRequest request, int threads, int seconds)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  run(executor, request);
                  done.incrementAndGet();
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  private static long run(ScriptExecutor executor, ExecutionRequest request) {
    long start = System.nanoTime();
    ExecutionRecord record = executor.execute(request);
    long elapsed = System.nanoTime() - start;
    if (record.status() != Status.SUCCEEDED) {
      throw new IllegalStateException("the run failed: " + record.error());
    }
    return elapsed;
  }
}
