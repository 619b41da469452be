package dev.stepguard.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hello in a fresh process per run forked from a warm interpreter ({@code bare_forks.py}): the
 * fork, {@code site} and the script, with nothing of stepguard. What any design that gives each run
 * a process of its own can hope for on this machine: the reference that throughput and warm latency
 * are read beside.
 */
final class BareForks {
  private BareForks() {}

  /**
   * Runs per second over {@code seconds} from {@code forkers} forkers (0: one per CPU), in {@code
   * project} (which holds hello.py).
   */
  static double runsPerSecond(Path project, String python, int seconds, int forkers)
      throws IOException, InterruptedException {
    return Double.parseDouble(run(project, python, "rate", seconds, forkers));
  }

  /**
   * The p50 in ms of {@code runs} runs in children forked ahead with their memory copied, back to
   * back ({@code pauseMs} 0: the next child is forked as a run starts) or paced.
   */
  static double warmMs(Path project, String python, int runs, int pauseMs)
      throws IOException, InterruptedException {
    return Double.parseDouble(run(project, python, "warm", runs, pauseMs));
  }

  private static String run(Path project, String python, String mode, int count, int other)
      throws IOException, InterruptedException {
    Path script = Files.createTempFile("stepguard-bare-forks-", ".py");
    try {
      try (InputStream in = BareForks.class.getResourceAsStream("bare_forks.py")) {
        if (in == null) {
          throw new IllegalStateException("bare_forks.py is missing from the benchmarks");
        }
        Files.write(script, in.readAllBytes());
      }
      List<String> argv =
          List.of(
              python,
              "-I",
              "-S",
              script.toString(),
              mode,
              "hello.py",
              Floors.HELLO_INPUT,
              Integer.toString(count),
              Integer.toString(other));
      return new Command(argv, project, Map.of(), new byte[0]).run().stdout().strip();
    } finally {
      Files.deleteIfExists(script);
    }
  }

  static String format(double runsPerSecond) {
    return String.format(Locale.ROOT, "%.0f /s", runsPerSecond);
  }
}
