package dev.stepguard.adapters.process;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Signals a launched process's descendants and the process itself. The bootstrap supervisor is a
 * child subreaper, so while it lives every process the script started, daemons included, is among
 * its descendants.
 */
final class ProcessTree {
  private static final int MAX_ROUNDS = 200;

  private ProcessTree() {}

  /** Sends SIGTERM to every descendant of {@code root}, but not to {@code root}. */
  static void terminateDescendants(ProcessHandle root) {
    root.descendants().forEach(ProcessHandle::destroy);
  }

  /** SIGKILLs the descendants until none is left, then {@code root}. */
  static void kill(ProcessHandle root) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<ProcessHandle> descendants = root.descendants().collect(Collectors.toList());
      if (descendants.isEmpty()) {
        break;
      }
      descendants.forEach(ProcessHandle::destroyForcibly);
    }
    root.destroyForcibly();
  }
}
