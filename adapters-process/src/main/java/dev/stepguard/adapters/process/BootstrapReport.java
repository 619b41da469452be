package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ResourceUsage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The lines the bootstrap writes to stderr around the script: {@code start} (the SHA-256 of what it
 * opened, written before the script's first line, so the script cannot change it), {@code refused}
 * (it would not open the script), {@code unconfined} (it could not set up the sandbox's system call
 * filter, so it ran nothing), and {@code end} (how the script ended, written after its leftovers
 * were killed). The end line is advice: it counts only when its exit code matches the one the
 * operating system reported.
 */
record BootstrapReport(
    Optional<String> sha256,
    Optional<String> refused,
    Optional<String> unconfined,
    Map<String, String> end) {
  private static final byte[] START = marker("start");
  private static final byte[] REFUSED = marker("refused");
  private static final byte[] UNCONFINED = marker("unconfined");
  private static final byte[] END = marker("end");

  private static byte[] marker(String kind) {
    return ("\n\u001estepguard-" + kind + " v1 ").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The report read from stderr, and the script's own stderr with the bootstrap's lines cut out.
   */
  record Split(byte[] scriptStderr, BootstrapReport report) {}

  /**
   * Splits captured stderr.
   *
   * @param head the first bytes the child wrote to stderr
   * @param tail the last bytes it wrote; the whole of stderr when {@code whole} is true
   */
  static Split split(byte[] head, byte[] tail, boolean whole) {
    Optional<String> sha256 = Optional.empty();
    Optional<String> refused = Optional.empty();
    int headLength = lineLength(head, START);
    if (headLength > 0) {
      sha256 = Optional.of(field(head, START, headLength).replaceFirst("^sha256=", ""));
    }
    int refusedLength = lineLength(head, REFUSED);
    if (refusedLength > 0) {
      refused = Optional.of(field(head, REFUSED, refusedLength));
    }
    Optional<String> unconfined = Optional.empty();
    int unconfinedLength = lineLength(head, UNCONFINED);
    if (unconfinedLength > 0) {
      unconfined = Optional.of(field(head, UNCONFINED, unconfinedLength));
    }
    int first = Math.max(headLength, Math.max(refusedLength, unconfinedLength));
    byte[] body = tail;
    if (whole && first > 0) {
      body = Arrays.copyOfRange(tail, first, tail.length);
    }
    Map<String, String> end = Map.of();
    int at = lastIndexOf(body, END);
    if (at >= 0) {
      int lineEnd = indexOf(body, (byte) '\n', at + END.length);
      int stop = lineEnd < 0 ? body.length : lineEnd + 1;
      end =
          fields(new String(body, at + END.length, stop - at - END.length, StandardCharsets.UTF_8));
      byte[] without = new byte[body.length - (stop - at)];
      System.arraycopy(body, 0, without, 0, at);
      System.arraycopy(body, stop, without, at, body.length - stop);
      body = without;
    }
    return new Split(body, new BootstrapReport(sha256, refused, unconfined, end));
  }

  /** The end line's exit code, if there is an end line and it agrees with the real exit status. */
  Optional<Integer> confirmedExit(int exitValue) {
    return number("exit").map(Long::intValue).filter(code -> code == exitValue);
  }

  boolean memoryError() {
    return "1".equals(end.get("memory"));
  }

  ResourceUsage usage() {
    return new ResourceUsage(number("cpu_ms").orElse(-1L), number("maxrss_kib").orElse(-1L));
  }

  private Optional<Long> number(String key) {
    try {
      return Optional.ofNullable(end.get(key)).map(Long::parseLong);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> fields(String line) {
    Map<String, String> fields = new HashMap<>();
    for (String field : line.strip().split(" ")) {
      int eq = field.indexOf('=');
      if (eq > 0) {
        fields.put(field.substring(0, eq), field.substring(eq + 1));
      }
    }
    return Map.copyOf(fields);
  }

  /** The length of the marked line at the start of {@code bytes}, newline included, or 0. */
  private static int lineLength(byte[] bytes, byte[] marker) {
    if (bytes.length < marker.length
        || !Arrays.equals(bytes, 0, marker.length, marker, 0, marker.length)) {
      return 0;
    }
    int newline = indexOf(bytes, (byte) '\n', marker.length);
    return newline < 0 ? 0 : newline + 1;
  }

  private static String field(byte[] bytes, byte[] marker, int lineLength) {
    return new String(bytes, marker.length, lineLength - marker.length - 1, StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] bytes, byte wanted, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
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
