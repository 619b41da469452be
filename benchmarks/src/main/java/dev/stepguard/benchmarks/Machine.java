package dev.stepguard.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the figures were measured on, in one sentence. */
final class Machine {
  private Machine() {}

  static String describe(String python) throws IOException, InterruptedException {
    String cpu = "?";
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
      if (line.startsWith("model name")) {
        cpu = line.substring(line.indexOf(':') + 1).trim();
        break;
      }
    }
    long memoryKib = 0;
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.UTF_8)) {
      if (line.startsWith("MemTotal:")) {
        memoryKib = Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    String kernel =
        Files.readString(Path.of("/proc/sys/kernel/osrelease"), StandardCharsets.UTF_8).trim();
    String load = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim();
    return String.format(
        java.util.Locale.ROOT,
        "Machine: %d CPUs (%s), %d GiB, Linux %s, %s %s, Python %s (%s); load average at the"
            + " start %s.",
        Runtime.getRuntime().availableProcessors(),
        cpu,
        Math.round(memoryKib / 1024.0 / 1024.0),
        kernel,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        Examples.version(python),
        python,
        load.substring(0, load.indexOf(' ', load.indexOf(' ', load.indexOf(' ') + 1) + 1)));
  }

  /** Whether bubblewrap can make a sandbox here (installed, and user namespaces allowed). */
  static boolean sandboxWorks() {
    try {
      Process process =
          new ProcessBuilder(List.of("bwrap", "--ro-bind", "/", "/", "true"))
              .redirectErrorStream(true)
              .start();
      process.getInputStream().readAllBytes();
      return process.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
