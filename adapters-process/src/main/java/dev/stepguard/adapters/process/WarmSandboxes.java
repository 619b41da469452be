package dev.stepguard.adapters.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxes started ahead of their runs: bubblewrap with a warm bootstrap inside, its code already
 * on stdin, waiting for a run. A run whose sandbox would be started exactly so (the same {@link
 * Shape}) takes one; each is used by one run and never returned. After each take the shape is
 * topped up again on the pool's own thread, off the run's path. At most {@code size} sandboxes wait
 * at a time; the oldest goes first. Nothing of a sandbox outlives stepguard: bubblewrap dies with
 * it, and a bootstrap that reaches the end of its stdin unused exits.
 */
final class WarmSandboxes implements AutoCloseable {
  /** The most sandboxes that may wait for runs. */
  static final int MAX_SIZE = 64;

  private static final Logger LOG = LoggerFactory.getLogger(WarmSandboxes.class);
  private static final long CLOSE_WAIT_MS = 5000;

  /**
   * All a sandbox is started with, fixed before its run is known: its command line (bubblewrap's
   * mounts: project, interpreter, /tmp size, writable directories by identity, hidden {@code
   * .stepguard}), the environment the interpreter starts in, the directory it starts in, the
   * identities of what the command names by path (project root, interpreter) and the bootstrap's
   * code.
   */
  record Shape(
      List<String> command,
      Map<String, String> environment,
      Path directory,
      List<Object> identities,
      ByteBuffer code) {
    Shape {
      command = List.copyOf(command);
      environment = Map.copyOf(environment);
      identities = List.copyOf(identities);
      code = code.asReadOnlyBuffer();
    }

    /**
     * The shape of a run's sandbox whose script gets {@code runEnvironment}: the interpreter starts
     * in the part of it that its start reads (the search path, HOME and the locale), and gets the
     * whole of it with its run.
     */
    static Shape of(
        List<String> command,
        Map<String, String> runEnvironment,
        Path directory,
        List<Object> identities,
        byte[] code) {
      Map<String, String> start =
          runEnvironment.entrySet().stream()
              .filter(entry -> readAtStart(entry.getKey()))
              .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
      return new Shape(command, start, directory, identities, ByteBuffer.wrap(code.clone()));
    }

    private static boolean readAtStart(String name) {
      return name.equals("PATH")
          || name.equals("HOME")
          || name.equals("LANG")
          || name.equals("LANGUAGE")
          || name.startsWith("LC_");
    }
  }

  private record Idle(Shape shape, Process process, RunCgroup cgroup) {
    void discard() {
      WarmSandboxes.discard(process);
      cgroup.close();
    }
  }

  /**
   * A sandbox taken for a run, the {@link RunCgroup#spare} cgroups it waited in, which the run
   * adopts, and what starts its replacement once the run is over (when another sandbox of its shape
   * waits meanwhile: on two cores, a bubblewrap and a Python starting beside the run would take the
   * CPU the run needs).
   */
  record Taken(Process process, RunCgroup cgroup, Runnable replace) {}

  private final int size;
  private final CgroupHost cgroups;
  private final ExecutorService starter;
  private final Deque<Idle> idle = new ArrayDeque<>();
  private boolean closed;

  /** A pool of at most {@code size} (1 to {@link #MAX_SIZE}) waiting sandboxes, no cgroups. */
  WarmSandboxes(int size) {
    this(size, CgroupHost.NONE);
  }

  /**
   * A pool of at most {@code size} (1 to {@link #MAX_SIZE}) waiting sandboxes, each waiting in
   * spare cgroups of its own where {@code cgroups} allows.
   */
  WarmSandboxes(int size, CgroupHost cgroups) {
    this.cgroups = Objects.requireNonNull(cgroups, "cgroups");
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException(
          "the warm sandbox pool holds 1 to " + MAX_SIZE + " sandboxes, not " + size);
    }
    this.size = size;
    // bubblewrap's --die-with-parent follows the thread that started it: one thread, as long-lived
    // as the pool, starts them all (a pool thread that retired would take its sandboxes with it).
    this.starter =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "stepguard-warm-sandboxes");
              thread.setDaemon(true);
              return thread;
            });
    RunCgroup.sweepSpares(cgroups);
  }

  /**
   * A live sandbox of {@code shape}, taken for one run, or empty; either way one is started for the
   * next run of that shape: at once when none of that shape is left waiting, else once the run is
   * over ({@link Taken#replace}). A sandbox that died while it waited is thrown away, never taken.
   */
  Optional<Taken> take(Shape shape) {
    Idle taken = null;
    boolean othersWait;
    List<Idle> dead = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Idle> it = idle.iterator(); it.hasNext() && taken == null; ) {
        Idle waiting = it.next();
        if (waiting.shape().equals(shape)) {
          it.remove();
          if (waiting.process().isAlive()) {
            taken = waiting;
          } else {
            dead.add(waiting);
          }
        }
      }
      othersWait = idle.stream().anyMatch(waiting -> waiting.shape().equals(shape));
    }
    dead.forEach(Idle::discard);
    boolean now = taken == null || !othersWait;
    if (now) {
      fill(shape);
    }
    Runnable replace = now ? () -> {} : () -> fill(shape);
    return Optional.ofNullable(taken)
        .map(idle -> new Taken(idle.process(), idle.cgroup(), replace));
  }

  /** Starts sandboxes of {@code shape}, off the caller's thread, until {@code size} wait. */
  void fill(Shape shape) {
    try {
      starter.execute(
          () -> {
            // An exception would end the starter's thread, and with it every sandbox it started.
            try {
              topUp(shape);
            } catch (RuntimeException e) {
              LOG.warn("could not start a sandbox ahead of its run: {}", e.toString());
            }
          });
    } catch (RejectedExecutionException e) {
      LOG.debug("the warm sandbox pool is closed");
    }
  }

  /** The sandboxes waiting now, oldest first. */
  synchronized List<Process> waiting() {
    return idle.stream().map(Idle::process).toList();
  }

  /** Kills the waiting sandboxes and waits until every process of theirs is gone. */
  @Override
  public void close() {
    List<Idle> waiting;
    synchronized (this) {
      closed = true;
      waiting = List.copyOf(idle);
      idle.clear();
    }
    List<Process> left = waiting.stream().map(Idle::process).toList();
    // Taken before the starter ends: its end kills what it started, and bubblewrap's processes
    // would then no longer be found under the ones it started.
    List<ProcessHandle> all = left.stream().flatMap(process -> tree(process.toHandle())).toList();
    starter.shutdown();
    try {
      if (!starter.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS)) {
        LOG.warn("a sandbox was still starting when the warm pool closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    waiting.forEach(Idle::discard);
    long deadline = System.nanoTime() + CLOSE_WAIT_MS * 1_000_000;
    while (all.stream().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline) {
        LOG.warn("a waiting sandbox did not end when the warm pool closed");
        return;
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** Kills a sandbox and everything in it, and lets go of its pipes; nothing waits for it. */
  static void discard(Process process) {
    ProcessTree.kill(process.toHandle());
    for (AutoCloseable pipe :
        List.<AutoCloseable>of(
            process.getOutputStream(), process.getInputStream(), process.getErrorStream())) {
      try {
        pipe.close();
      } catch (Exception e) {
        LOG.debug("a discarded sandbox's pipe: {}", e.toString());
      }
    }
  }

  private static Stream<ProcessHandle> tree(ProcessHandle root) {
    return Stream.concat(Stream.of(root), root.descendants());
  }

  private void topUp(Shape shape) {
    while (true) {
      synchronized (this) {
        if (closed
            || idle.stream().filter(waiting -> waiting.shape().equals(shape)).count() >= size) {
          return;
        }
      }
      Process process;
      try {
        process = start(shape);
      } catch (IOException e) {
        LOG.warn("could not start a sandbox ahead of its run: {}", e.toString());
        return;
      }
      // Moved into cgroups of its own now, while no run waits for it.
      Idle started = new Idle(shape, process, RunCgroup.spare(cgroups, process.toHandle()));
      List<Idle> evicted = new ArrayList<>();
      synchronized (this) {
        if (closed) {
          evicted.add(started);
        } else {
          idle.addLast(started);
          while (idle.size() > size) {
            evicted.add(idle.removeFirst());
          }
        }
      }
      evicted.forEach(Idle::discard);
    }
  }

  /** Starts a sandbox of {@code shape} and hands it its bootstrap, which then waits for a run. */
  private static Process start(Shape shape) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(shape.command()).directory(shape.directory().toFile());
    builder.environment().clear();
    builder.environment().putAll(shape.environment());
    Process process = builder.start();
    byte[] code = new byte[shape.code().remaining()];
    shape.code().duplicate().get(code);
    try {
      OutputStream stdin = process.getOutputStream();
      stdin.write(code);
      stdin.flush();
    } catch (IOException e) {
      discard(process);
      throw e;
    }
    return process;
  }
}
