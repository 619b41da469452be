package dev.stepguard.benchmarks;

import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What sandbox isolation costs over process isolation for the hello script: both executors in one
 * JVM, run alternately. Usage: {@code SandboxOverheadBenchmark [RUNS] [PYTHON]
 * [plain|writable|venv]}: {@code writable} gives the sandboxed runs a writable directory (bound by
 * descriptor), {@code venv} runs them with a venv of PYTHON made in the project.
 */
public final class SandboxOverheadBenchmark {
  private static final int WARMUP = 200;

  private SandboxOverheadBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    String python = Examples.realExecutable(args.length > 1 ? args[1] : "python3");
    Path project = Scratch.directory("stepguard-bench-");
    Files.setPosixFilePermissions(
        project, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.copy(Examples.hello(), project.resolve("hello.py"));
    String variant = args.length > 2 ? args[2] : "plain";
    ScriptExecutor process =
        Examples.executor(project, "python: " + python + "\nisolation: process\n");
    ScriptExecutor sandbox = Examples.executor(project, sandboxConfig(project, python, variant));
    ExecutionRequest request =
        ExecutionRequest.standalone(
            "hello.py",
            "{\"name\": \"Ada\"}",
            Duration.ofSeconds(30),
            Duration.ofSeconds(3),
            Limits.defaults(30_000),
            Examples.requester());
    if (run(sandbox, request, Isolation.SANDBOX) < 0) {
      return;
    }
    for (int i = 0; i < WARMUP; i++) {
      run(process, request, Isolation.PROCESS);
      run(sandbox, request, Isolation.SANDBOX);
    }
    Samples plain = new Samples(runs);
    Samples sandboxed = new Samples(runs);
    Samples difference = new Samples(runs);
    for (int i = 0; i < runs; i++) {
      long a = run(process, request, Isolation.PROCESS);
      long b = run(sandbox, request, Isolation.SANDBOX);
      plain.add(a);
      sandboxed.add(b);
      difference.add(b - a);
    }
    System.out.println(
        "interpreter: " + python + " (" + Examples.version(python) + "), sandbox: " + variant);
    System.out.println(plain.summary("ScriptExecutor, process isolation"));
    System.out.println(sandboxed.summary("ScriptExecutor, sandbox isolation"));
    System.out.printf(
        Locale.ROOT,
        "sandbox overhead p50 (p50 difference of pairs) = %.2f ms%n",
        difference.percentileMs(50));
  }

  /**
   * The operator config of the sandboxed runs: plain, with a writable directory, or with a project
   * venv.
   */
  private static String sandboxConfig(Path project, String python, String variant)
      throws Exception {
    switch (variant) {
      case "writable":
        Path out = Files.createDirectory(project.resolve("out"));
        Files.setPosixFilePermissions(
            out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        return "python: " + python + "\nisolation: sandbox\nsandbox: {writable: [out]}\n";
      case "venv":
        Process venv =
            new ProcessBuilder(
                    python, "-m", "venv", "--without-pip", project.resolve("venv").toString())
                .inheritIO()
                .start();
        if (venv.waitFor() != 0) {
          throw new IllegalStateException("could not make a venv with " + python);
        }
        return "python: " + project.resolve("venv/bin/python") + "\nisolation: sandbox\n";
      default:
        return "python: " + python + "\nisolation: sandbox\n";
    }
  }

  /** Nanoseconds for one run, or -1 (after saying why) if the sandbox cannot run here. */
  private static long run(ScriptExecutor executor, ExecutionRequest request, Isolation expected) {
    long start = System.nanoTime();
    ExecutionRecord record = executor.execute(request);
    long elapsed = System.nanoTime() - start;
    if (record.status() == Status.LAUNCH_FAILED && expected == Isolation.SANDBOX) {
      System.out.println("the sandbox cannot run here: " + record.error().message());
      return -1;
    }
    if (record.status() != Status.SUCCEEDED || record.isolation() != expected) {
      throw new IllegalStateException("the run failed: " + record.error());
    }
    return elapsed;
  }
}
