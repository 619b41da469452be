package dev.stepguard.benchmarks;

import com.google.inject.Guice;
import com.google.inject.util.Modules;
import dev.stepguard.adapters.process.ProcessAdapterModule;
import dev.stepguard.adapters.process.ProcessSettings;
import dev.stepguard.adapters.process.SandboxLauncherModule;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

/**
 * The hello script under sandbox isolation, each run starting its own bubblewrap (cold) against
 * runs that take one started ahead (warm), sequentially through the whole executor, next to a bare
 * {@code python3 -I hello.py} start. Usage: {@code WarmSandboxBenchmark [RUNS] [PYTHON] [POOL]
 * [PAUSE_MS]}: PAUSE_MS between runs (of every kind) stands for the time between requests, in which
 * a warm pool starts the next run's sandbox.
 */
public final class WarmSandboxBenchmark {
  private static final int WARMUP = 30;

  private WarmSandboxBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String python = Examples.realExecutable(args.length > 1 ? args[1] : "python3");
    int pool = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    long pause = args.length > 3 ? Long.parseLong(args[3]) : 0;
    Path project = Scratch.directory("stepguard-bench-");
    Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.copy(Examples.hello(), project.resolve("hello.py"));
    String config = "python: " + python + "\nisolation: sandbox\n";
    ScriptExecutor cold = Examples.executor(project, config);
    ScriptExecutor warm =
        Examples.executor(project, config, Modules.EMPTY_MODULE, new SandboxLauncherModule(pool));
    ExecutionRequest request =
        ExecutionRequest.standalone(
            "hello.py",
            "{\"name\": \"Ada\"}",
            Duration.ofSeconds(30),
            Duration.ofSeconds(3),
            Limits.defaults(30_000),
            Examples.requester());
    if (run(cold, request) < 0) {
      return;
    }
    Samples bare = new Samples(runs);
    Samples coldRuns = new Samples(runs);
    Samples warmRuns = new Samples(runs);
    for (int i = 0; i < WARMUP; i++) {
      bare(python, project);
      run(cold, request);
      run(warm, request);
    }
    for (int i = 0; i < runs; i++) {
      Thread.sleep(pause);
      bare.add(bare(python, project));
    }
    for (int i = 0; i < runs; i++) {
      Thread.sleep(pause);
      coldRuns.add(run(cold, request));
    }
    for (int i = 0; i < runs; i++) {
      Thread.sleep(pause);
      warmRuns.add(run(warm, request));
    }
    System.out.println(
        "interpreter: "
            + python
            + " ("
            + Examples.version(python)
            + "), warm pool: "
            + pool
            + ", pause: "
            + pause
            + " ms");
    System.out.println(bare.summary("python3 -I hello.py (bare start)"));
    System.out.println(coldRuns.summary("ScriptExecutor, sandbox, cold"));
    System.out.println(warmRuns.summary("ScriptExecutor, sandbox, warm"));
    System.out.println(
        "processes waiting for runs (the warm pool's): "
            + ProcessHandle.current().descendants().count());
    System.out.println(launches(project, python, 0, runs, pause).summary("launcher only, cold"));
    System.out.println(launches(project, python, pool, runs, pause).summary("launcher only, warm"));
    System.exit(0);
  }

  /** Launches of hello.py straight through the sandbox launcher, without executor or history. */
  private static Samples launches(Path project, String python, int pool, int runs, long pause)
      throws Exception {
    ProcessLauncher launcher =
        Guice.createInjector(
                new ProcessAdapterModule(new ProcessSettings(project, python)),
                new SandboxLauncherModule(pool))
            .getInstance(ProcessLauncher.class);
    Samples samples = new Samples(runs);
    for (int i = -WARMUP; i < runs; i++) {
      Thread.sleep(pause);
      long start = System.nanoTime();
      LaunchResult result =
          launcher.launch(
              new Launch(
                  ExecutionId.random(),
                  project,
                  new ScriptPath("hello.py"),
                  "{\"name\": \"Ada\"}".getBytes(StandardCharsets.UTF_8),
                  Duration.ofSeconds(30),
                  Duration.ofSeconds(3),
                  Limits.defaults(30_000),
                  Map.of()));
      long elapsed = System.nanoTime() - start;
      if (!(result instanceof LaunchResult.Completed)) {
        throw new IllegalStateException("the launch failed: " + result);
      }
      if (i >= 0) {
        samples.add(elapsed);
      }
    }
    if (launcher instanceof AutoCloseable closeable) {
      closeable.close();
    }
    return samples;
  }

  /** Nanoseconds for a bare interpreter to run hello.py with the same input. */
  private static long bare(String python, Path project) throws Exception {
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(python, "-I", "hello.py").directory(project.toFile()).start();
    try (var stdin = process.getOutputStream()) {
      stdin.write("{\"name\": \"Ada\"}".getBytes(StandardCharsets.UTF_8));
    }
    process.getInputStream().readAllBytes();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("hello.py failed under " + python);
    }
    return System.nanoTime() - start;
  }

  /** Nanoseconds for one run, or -1 (after saying why) if the sandbox cannot run here. */
  private static long run(ScriptExecutor executor, ExecutionRequest request) {
    long start = System.nanoTime();
    ExecutionRecord record = executor.execute(request);
    long elapsed = System.nanoTime() - start;
    if (record.status() == Status.LAUNCH_FAILED) {
      System.out.println("the sandbox cannot run here: " + record.error().message());
      return -1;
    }
    if (record.status() != Status.SUCCEEDED || record.isolation() != Isolation.SANDBOX) {
      throw new IllegalStateException("the run failed: " + record.error());
    }
    return elapsed;
  }
}
