package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ResourceUsage;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last line the bootstrap's supervisor writes to stderr, after the script and everything it
 * started are gone: how the script ended, what it used, and the SHA-256 of what ran.
 */
record BootstrapReport(Map<String, String> fields) {
  static final byte[] MARKER = "\n\u001estepguard-report v1 ".getBytes(StandardCharsets.UTF_8);

  /** Splits captured stderr into the script's own text and the report, if there is one. */
  static Split split(byte[] stderr) {
    int at = lastIndexOf(stderr, MARKER);
    if (at < 0) {
      return new Split(stderr, Optional.empty());
    }
    byte[] scriptPart = java.util.Arrays.copyOf(stderr, at);
    String line =
        new String(
                stderr,
                at + MARKER.length,
                stderr.length - at - MARKER.length,
                StandardCharsets.UTF_8)
            .strip();
    Map<String, String> fields = new HashMap<>();
    if (line.startsWith("refused=")) {
      fields.put("refused", line.substring("refused=".length()));
    } else {
      for (String field : line.split(" ")) {
        int eq = field.indexOf('=');
        if (eq > 0) {
          fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
      }
    }
    return new Split(scriptPart, Optional.of(new BootstrapReport(Map.copyOf(fields))));
  }

  /** The script's stderr, and the report that followed it. */
  record Split(byte[] scriptStderr, Optional<BootstrapReport> report) {}

  Optional<String> refused() {
    return Optional.ofNullable(fields.get("refused"));
  }

  Optional<Integer> exitCode() {
    return number("exit").map(Long::intValue);
  }

  Optional<Integer> signal() {
    return number("signal").map(Long::intValue);
  }

  boolean memoryError() {
    return "1".equals(fields.get("memory"));
  }

  String sha256() {
    return fields.get("sha256");
  }

  ResourceUsage usage() {
    return new ResourceUsage(number("cpu_ms").orElse(-1L), number("maxrss_kib").orElse(-1L));
  }

  private Optional<Long> number(String key) {
    try {
      return Optional.ofNullable(fields.get(key)).map(Long::parseLong);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static int lastIndexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = haystack.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
