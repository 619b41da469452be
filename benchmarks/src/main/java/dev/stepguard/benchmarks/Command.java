package dev.stepguard.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An external command timed from outside: wall time from before its start to after its exit, and
 * its peak resident size as {@code /usr/bin/time} reports it.
 */
record Command(List<String> argv, Path directory, Map<String, String> env, byte[] stdin) {
  /** What one run of the command did. */
  record Run(long wallNanos, long peakRssKib, int exitCode, String stdout) {}

  Command {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    stdin = stdin.clone();
  }

  /** Runs the command once; a non-zero exit fails the benchmark. */
  Run run() throws IOException, InterruptedException {
    Path times = Files.createTempFile("stepguard-bench-time-", ".txt");
    try {
      List<String> timed =
          new ArrayList<>(List.of("/usr/bin/time", "-f", "%M", "-o", times.toString()));
      timed.addAll(argv);
      ProcessBuilder builder = new ProcessBuilder(timed).directory(directory.toFile());
      builder.environment().putAll(env);
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
      long start = System.nanoTime();
      Process process = builder.start();
      try (var in = process.getOutputStream()) {
        in.write(stdin);
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int code = process.waitFor();
      long wall = System.nanoTime() - start;
      if (code != 0) {
        throw new IllegalStateException(
            String.join(" ", argv) + " exited with " + code + ": " + out);
      }
      List<String> lines = Files.readAllLines(times, StandardCharsets.UTF_8);
      long rss = Long.parseLong(lines.get(lines.size() - 1).trim());
      return new Run(wall, rss, code, out);
    } finally {
      Files.deleteIfExists(times);
    }
  }

  /**
   * Wall times (and the largest peak RSS) of {@code runs} runs after {@code warmup} unmeasured
   * ones.
   */
  Samples sample(int warmup, int runs) throws IOException, InterruptedException {
    return alternated(warmup, runs, List.of(this)).get(0);
  }

  /**
   * Each of {@code commands} run {@code runs} times in turn (the first, the second, ..., the first
   * again), after {@code warmup} unmeasured rounds: figures taken side by side, so that a machine
   * that speeds up or slows down meanwhile moves them all alike. One sample set per command.
   */
  static List<Samples> alternated(int warmup, int runs, List<Command> commands)
      throws IOException, InterruptedException {
    for (int i = 0; i < warmup; i++) {
      for (Command command : commands) {
        command.run();
      }
    }
    List<Samples> all = new ArrayList<>();
    for (int c = 0; c < commands.size(); c++) {
      all.add(new Samples(runs));
    }
    for (int i = 0; i < runs; i++) {
      for (int c = 0; c < commands.size(); c++) {
        Run run = commands.get(c).run();
        all.get(c).add(run.wallNanos());
        all.get(c).noteRss(run.peakRssKib());
      }
    }
    return all;
  }
}
