package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Who stepguard runs as, read from the kernel rather than from the environment. */
final class Users {
  private static final Path STATUS = Path.of("/proc/self/status");

  private Users() {}

  /** Whether the effective user id is 0. */
  static boolean runningAsRoot() {
    OptionalLong uid = effectiveUid();
    return uid.isPresent() && uid.getAsLong() == 0;
  }

  /** The effective user id, or empty where /proc cannot say. */
  static OptionalLong effectiveUid() {
    try {
      for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith("Uid:")) {
          return OptionalLong.of(Long.parseLong(line.split("\\s+")[2]));
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }
}
