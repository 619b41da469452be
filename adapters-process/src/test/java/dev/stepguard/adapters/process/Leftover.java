package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Whether the processes a test command started, by the pids it wrote down, still run. */
final class Leftover {
  /** A bound for a SIGKILLed process to be gone, not a figure under test. */
  private static final Duration KILL_BOUND = Duration.ofSeconds(5);

  private Leftover() {}

  /** The pids a test command wrote to {@code file}, separated by white space. */
  static List<Long> pids(Path file) throws IOException {
    return Arrays.stream(Files.readString(file).strip().split("\\s+"))
        .map(Long::valueOf)
        .collect(Collectors.toList());
  }

  /**
   * Whether {@code pid} still runs once a kill had time to land; a zombie (its parent never reaps
   * it when that is a container's init) does not run.
   */
  static boolean stillRuns(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + KILL_BOUND.toNanos();
    while (runs(pid)) {
      if (System.nanoTime() > deadline) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }

  private static boolean runs(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return !state.equals("Z") && !state.equals("X");
    } catch (IOException e) {
      return false;
    }
  }
}
