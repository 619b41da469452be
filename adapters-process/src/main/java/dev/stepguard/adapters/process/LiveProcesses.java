package dev.stepguard.adapters.process;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes this JVM started and still watches (runs, interpreter and bubblewrap checks), with
 * their trees killed by a shutdown hook if stepguard exits while they run: however stepguard is
 * stopped short of SIGKILL, nothing it started outlives it.
 */
final class LiveProcesses {
  private static final Set<ProcessHandle> WATCHED = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> WATCHED.forEach(ProcessTree::kill), "stepguard-stop-processes"));
  }

  private LiveProcesses() {}

  static void watch(ProcessHandle process) {
    WATCHED.add(process);
  }

  static void forget(ProcessHandle process) {
    WATCHED.remove(process);
  }
}
