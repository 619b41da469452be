package dev.stepguard.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hello runs per second on this machine in a fresh process per run forked from a warm interpreter
 * ({@code bare_forks.py}): the fork, {@code site} and the script, one forker per CPU, with nothing
 * of stepguard. What any design that gives each run a process of its own can hope for here: the
 * floor that throughput is held against.
 */
final class BareForks {
  private BareForks() {}

  /** Runs per second over {@code seconds}, in {@code project} (which holds hello.py). */
  static double runsPerSecond(Path project, String python, int seconds)
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
              "hello.py",
              Floors.HELLO_INPUT,
              Integer.toString(seconds),
              "0");
      String out = new Command(argv, project, Map.of(), new byte[0]).run().stdout();
      return Double.parseDouble(out.strip());
    } finally {
      Files.deleteIfExists(script);
    }
  }

  static String format(double runsPerSecond) {
    return String.format(Locale.ROOT, "%.0f /s", runsPerSecond);
  }
}
