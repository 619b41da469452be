package dev.stepguard.adapters.process;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Signals a launched process and its descendants. While the bootstrap lives it is the child
 * subreaper, so every process the script started, daemons included, is among its descendants.
 */
final class ProcessTree {
  private static final int MAX_ROUNDS = 200;

  private ProcessTree() {}

  /** Sends SIGTERM to {@code root} and every descendant that {@code terminable} accepts. */
  static void terminate(ProcessHandle root, Predicate<ProcessHandle> terminable) {
    root.descendants().filter(terminable).forEach(ProcessHandle::destroy);
    if (terminable.test(root)) {
      root.destroy();
    }
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
