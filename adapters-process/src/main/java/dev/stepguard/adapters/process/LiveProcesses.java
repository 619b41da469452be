package dev.stepguard.adapters.process;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The processes this JVM started and still watches (runs, interpreter and bubblewrap checks), with
 * their trees killed by a shutdown hook if stepguard exits while they run: however stepguard is
 * stopped short of SIGKILL, nothing it started outlives it. A process handed over once the JVM has
 * begun to stop (a background look that started its process as the command line exited) is killed
 * at once: the hook may already have run, and no hook can be added any more.
 */
final class LiveProcesses {
  private static final LiveProcesses ALL = new LiveProcesses();

  static {
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(ALL::stop, "stepguard-stop-processes"));
    } catch (IllegalStateException e) {
      ALL.stop();
    }
  }

  private final Set<ProcessHandle> watched = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  LiveProcesses() {}

  static void watch(ProcessHandle process) {
    ALL.add(process);
  }

  static void forget(ProcessHandle process) {
    ALL.remove(process);
  }

  /** Watches {@code process}, or kills its tree at once if this registry has begun to stop. */
  void add(ProcessHandle process) {
    watched.add(process);
    // After the add: a stop that began meanwhile either sees the process or is seen here.
    if (stopping) {
      ProcessTree.kill(process);
    }
  }

  void remove(ProcessHandle process) {
    watched.remove(process);
  }

  /** Kills the tree of every watched process, and of every one added from now on. */
  void stop() {
    stopping = true;
    watched.forEach(ProcessTree::kill);
  }
}
