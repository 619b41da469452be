package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the processes a run left behind once its main process is gone, however it went (it exited,
 * exec'd another program that exited, was killed by a signal or on timeout): members of the session
 * the bootstrap started, and processes that still carry the run's {@code STEPGUARD_EXECUTION_ID},
 * daemons that left the session included.
 */
final class Leftovers {
  private static final Path PROC = Path.of("/proc");
  private static final int MAX_ROUNDS = 50;

  /** A session number no process has: look for the run's id only. */
  static final long NO_SESSION = -1;

  private Leftovers() {}

  /** SIGKILLs every leftover of the run until none is found. */
  static void kill(long session, String executionId) {
    byte[] tag = ("STEPGUARD_EXECUTION_ID=" + executionId + "\0").getBytes(StandardCharsets.UTF_8);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<Long> found = find(session, tag);
      if (found.isEmpty()) {
        return;
      }
      found.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  static List<Long> find(long session, byte[] tag) {
    List<Long> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        long pid = Long.parseLong(String.valueOf(entry.getFileName()));
        if (pid != self && (inSession(entry, session) || carries(entry, tag))) {
          found.add(pid);
        }
      }
    } catch (IOException e) {
      return found;
    }
    return found;
  }

  private static boolean inSession(Path process, long session) {
    try {
      String stat = Files.readString(process.resolve("stat"), StandardCharsets.US_ASCII);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[3]) == session && !"Z".equals(fields[0]);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static boolean carries(Path process, byte[] tag) {
    try {
      byte[] environ = Files.readAllBytes(process.resolve("environ"));
      return indexOf(environ, tag) >= 0;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (i > 0 && haystack[i - 1] != 0) {
        continue;
      }
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
