package dev.stepguard.adapters.process;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The processes this JVM started and still watches (runs, interpreter and bubblewrap checks), with
 * their trees killed by a shutdown hook if stepguard exits while they run: however stepguard is
 * stopped short of SIGKILL, nothing it started outlives it. Processes are started through {@link
 * #start}, which watches them before the stop can begin and starts none once it has (a background
 * look for Python as the command line exits); a process handed over to {@link #watch} after the
 * stop began is killed at once.
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

  /** Held to read by each start until its process is watched, to write by the stop. */
  private final ReadWriteLock starting = new ReentrantReadWriteLock();

  private volatile boolean stopping;

  LiveProcesses() {}

  /** Starts {@code builder}'s process, watched; none once the JVM has begun to stop. */
  static Process start(ProcessBuilder builder) throws IOException {
    return ALL.startWatched(builder);
  }

  static void watch(ProcessHandle process) {
    ALL.add(process);
  }

  static void forget(ProcessHandle process) {
    ALL.remove(process);
  }

  /** Starts and watches {@code builder}'s process, unless this registry has begun to stop. */
  Process startWatched(ProcessBuilder builder) throws IOException {
    starting.readLock().lock();
    try {
      if (stopping) {
        throw new IOException("stepguard is stopping");
      }
      Process process = builder.start();
      watched.add(process.toHandle());
      return process;
    } finally {
      starting.readLock().unlock();
    }
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
    starting.writeLock().lock();
    try {
      stopping = true;
    } finally {
      starting.writeLock().unlock();
    }
    watched.forEach(ProcessTree::kill);
  }
}
