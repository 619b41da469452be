package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who stepguard runs as, read from the kernel rather than from the environment. */
final class Users {
  private static final Path STATUS = Path.of("/proc/self/status");

  private Users() {}

  /** Whether the effective user id is 0. */
  static boolean runningAsRoot() {
    try {
      for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith("Uid:")) {
          return "0".equals(line.split("\\s+")[2]);
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
