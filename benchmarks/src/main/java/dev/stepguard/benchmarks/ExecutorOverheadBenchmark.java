package dev.stepguard.benchmarks;

import com.google.inject.util.Modules;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ExecutionStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The executor's overhead over a bare {@code ProcessBuilder} start of the same {@code python3 -I
 * hello.py} from the same JVM. Runs both alternately so that machine noise hits them alike.
 *
 * <p>Usage: {@code ExecutorOverheadBenchmark [RUNS] [PYTHON]} (defaults 300, python3).
 */
public final class ExecutorOverheadBenchmark {
  private static final String INPUT = "{\"name\": \"Ada\"}";
  private static final int WARMUP = 500;

  private ExecutorOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    String pythonName = args.length > 1 ? args[1] : "python3";
    Path project = Scratch.directory("stepguard-bench-");
    Files.copy(Examples.hello(), project.resolve("hello.py"));
    String python = Examples.realExecutable(pythonName);

    String operatorConfig = "python: " + python + "\nisolation: process\n";
    ScriptExecutor executor = Examples.executor(project, operatorConfig);
    ScriptExecutor unrecorded =
        Examples.executor(
            Examples.scratchProject(),
            operatorConfig,
            binder ->
                binder.bind(ExecutionStore.class).toInstance(new HistoryWriteBenchmark.NoHistory()),
            Modules.EMPTY_MODULE);
    ExecutionRequest request =
        ExecutionRequest.standalone(
            "hello.py",
            INPUT,
            Duration.ofSeconds(30),
            Duration.ofSeconds(3),
            Limits.defaults(30_000),
            Examples.requester());

    Examples.Bootstrapped bootstrapped = Examples.bootstrapped(python);
    byte[] bareInput = INPUT.getBytes(StandardCharsets.UTF_8);
    byte[] bootstrapInput =
        Arrays.copyOf(bootstrapped.code(), bootstrapped.code().length + bareInput.length);
    System.arraycopy(bareInput, 0, bootstrapInput, bootstrapped.code().length, bareInput.length);
    List<String> plain = List.of(python, "-I", "hello.py");
    for (int i = 0; i < WARMUP; i++) {
      bare(plain, bareInput, project);
      bare(bootstrapped.command(), bootstrapInput, project);
      stepguard(executor, request);
      stepguard(unrecorded, request);
    }
    Samples withoutHistory = new Samples(runs);
    Samples bare = new Samples(runs);
    Samples bootstrap = new Samples(runs);
    Samples guarded = new Samples(runs);
    Samples difference = new Samples(runs);
    for (int i = 0; i < runs; i++) {
      long a;
      long b;
      if (i % 2 == 0) {
        a = bare(plain, bareInput, project);
        b = stepguard(executor, request);
      } else {
        b = stepguard(executor, request);
        a = bare(plain, bareInput, project);
      }
      bootstrap.add(bare(bootstrapped.command(), bootstrapInput, project));
      withoutHistory.add(stepguard(unrecorded, request));
      bare.add(a);
      guarded.add(b);
      difference.add(b - a);
    }
    System.out.println("interpreter: " + python + " (" + Examples.version(python) + ")");
    System.out.println(
        "java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.println(bare.summary("bare ProcessBuilder python3 -I"));
    System.out.println(bootstrap.summary("bare ProcessBuilder, bootstrap argv"));
    System.out.println(guarded.summary("ScriptExecutor (process isolation)"));
    System.out.println(withoutHistory.summary("ScriptExecutor, no history"));
    System.out.printf(
        Locale.ROOT,
        "overhead p50 (p50 difference of pairs) = %.2f ms; p50(executor) - p50(bare) = %.2f ms%n",
        difference.percentileMs(50),
        guarded.percentileMs(50) - bare.percentileMs(50));
    System.out.printf(
        Locale.ROOT,
        "p50(executor) - p50(executor without history) = %.2f ms%n",
        guarded.percentileMs(50) - withoutHistory.percentileMs(50));
  }

  static long bare(List<String> command, byte[] input, Path project)
      throws IOException, InterruptedException {
    long start = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(project.toFile()).start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input);
    }
    byte[] out;
    try (InputStream stdout = process.getInputStream();
        InputStream stderr = process.getErrorStream()) {
      out = stdout.readAllBytes();
      stderr.readAllBytes();
    }
    if (process.waitFor() != 0 || out.length == 0) {
      throw new IllegalStateException("the bare run failed");
    }
    return System.nanoTime() - start;
  }

  static long stepguard(ScriptExecutor executor, ExecutionRequest request) {
    long start = System.nanoTime();
    ExecutionRecord record = executor.execute(request);
    long elapsed = System.nanoTime() - start;
    if (record.status() != Status.SUCCEEDED) {
      throw new IllegalStateException("the stepguard run failed: " + record.error());
    }
    return elapsed;
  }
}
