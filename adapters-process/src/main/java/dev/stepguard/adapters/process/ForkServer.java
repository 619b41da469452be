package dev.stepguard.adapters.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fork server ({@code zygote.py}): a Python process started like a warm bootstrap (the same
 * interpreter with {@code -I -S -B}, an allowlisted environment, the project root as working
 * directory, as stepguard's user) that never runs a run: it keeps {@code pool} children forked,
 * connected and waiting for their run's header, so that a run takes a process that exists already,
 * has never run anyone's code, and gets its own session, subreaper, limits, identity and
 * environment from the bootstrap before the script's first line. Each taken child is replaced once
 * it exits (or when the next run is taken, if that comes first), and at once only when no other
 * child is ready or on its way: on two cores a fork beside the run takes the CPU it needs. A child
 * is moved into {@link RunCgroup#spare} cgroups of its own before it counts as ready, so that the
 * slow move into a cgroup is off the run's path too.
 *
 * <p>A child's streams are matched to it by a random nonce it sends on each connection; its pid and
 * exit status come from the server's reports on its stdout. When the server dies, what it had
 * forked and not handed out is abandoned (its streams closed, so it exits), and the status of a
 * child under way is taken from its handle once it is gone, as killed (137): the report is lost.
 */
final class ForkServer {
  private static final Logger LOG = LoggerFactory.getLogger(ForkServer.class);
  private static final String SOURCE = load();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int UNREPORTED = ForkedProcess.UNREPORTED;

  /** How long a fork may take to become a ready child before the server is deemed hung. */
  private static final Duration HUNG = Duration.ofSeconds(5);

  /** Moves children into their spare cgroups, one at a time (the kernel serialises moves). */
  private static final ExecutorService CGROUPS =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "stepguard-warm-cgroups");
            thread.setDaemon(true);
            return thread;
          });

  private final Process process;
  private final OutputStream control;
  private final int pool;
  private final Map<String, Pending> forks;
  private final CgroupHost cgroups;
  private final BlockingQueue<ForkedProcess> ready = new LinkedBlockingQueue<>();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
  private volatile boolean dead;

  private ForkServer(Process process, int pool, Map<String, Pending> forks, CgroupHost cgroups) {
    this.cgroups = cgroups;
    this.process = process;
    this.control = process.getOutputStream();
    this.pool = pool;
    this.forks = forks;
  }

  /**
   * Starts a fork server for {@code python} in {@code projectRoot} whose children connect to {@code
   * socket}; {@code forks} holds each fork by its nonce while it waits for its connections; each
   * child gets spare cgroups where {@code cgroups} allows.
   */
  static ForkServer start(
      PythonLocator.Discovery.Found python,
      Path projectRoot,
      Path socket,
      Map<String, String> environment,
      int pool,
      Map<String, Pending> forks,
      CgroupHost cgroups)
      throws IOException {
    List<String> command = new ArrayList<>(Bootstrap.warmCommand(python));
    // The warm command ends with the loader, its size and "-": the server takes their place.
    command.subList(command.size() - 3, command.size()).clear();
    command.addAll(
        List.of(SOURCE, Integer.toString(python.bootstrapCode().length), socket.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(projectRoot.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    builder.environment().putAll(environment);
    // A placeholder that each child overwrites in place with its run's id (bootstrap.py,
    // _tag_environment): /proc shows it for whatever the script forks without exec, which is how
    // the leftovers of a run are found.
    builder.environment().put("STEPGUARD_EXECUTION_ID", "0".repeat(36));
    Process process = LiveProcesses.start(builder);
    ForkServer server = new ForkServer(process, pool, forks, cgroups);
    server.control.write(python.bootstrapCode());
    server.control.flush();
    Thread reader = new Thread(server::readReports, "stepguard-fork-server");
    reader.setDaemon(true);
    reader.start();
    server.fill();
    return server;
  }

  /** Whether the server still forks. */
  boolean alive() {
    return !dead;
  }

  /**
   * A ready child, waiting at most {@code wait} for one; empty if none came in time (a server whose
   * fork has been outstanding too long is killed, to be replaced).
   */
  Optional<ForkedProcess> take(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    if (stopped(process.pid())) {
      // Stopped (a script of the same user can signal it): it would reap and report nothing, so
      // the exit status of the children it forked would be lost. Replaced; this run starts cold.
      LOG.warn("the fork server was stopped; it is killed and replaced");
      process.destroyForcibly();
      return Optional.empty();
    }
    fill();
    while (!dead) {
      ForkedProcess child =
          ready.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (child == null) {
        killIfHung();
        return Optional.empty();
      }
      if (!process.isAlive()) {
        // Gone before its end of output was read: a run in its child would end unreported, as
        // killed. The child is given up, the run starts cold and the server is replaced.
        dead = true;
        child.destroyForcibly();
        child.abandon();
        return Optional.empty();
      }
      if (ready.isEmpty() && pending.isEmpty()) {
        // None left for a run that comes meanwhile: its replacement is forked now. Otherwise once
        // the child exits (reportChecked): on two cores, a fork beside the run, and the new child
        // copying its memory, would take the CPU the run needs.
        fill();
      }
      if (child.isAlive() && !stopped(child.pid())) {
        return Optional.of(child);
      }
      // Gone, or stopped while it waited (a script of the same user can signal it): a stopped
      // child would hold its run until the timeout. Killed; the next one is taken.
      child.destroyForcibly();
      child.abandon();
    }
    return Optional.empty();
  }

  private static boolean stopped(long pid) {
    return "Tt".indexOf(ProcessIdentities.state(pid)) >= 0;
  }

  /** Stops the server: it forks no more and exits once its children are gone; those ready exit. */
  void stop() {
    dead = true;
    try {
      control.close();
    } catch (IOException e) {
      LOG.debug("closing the fork server's control pipe: {}", e.toString());
    }
    abandonAll();
  }

  private void killIfHung() {
    long now = System.nanoTime();
    if (pending.values().stream().anyMatch(fork -> now - fork.asked > HUNG.toNanos())) {
      LOG.warn("the fork server did not fork in {}; it is killed and replaced", HUNG);
      process.destroyForcibly();
    }
  }

  /** Asks for as many forks as the pool lacks. */
  private synchronized void fill() {
    try {
      while (!dead && ready.size() + pending.size() < pool) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String key = HexFormat.of().formatHex(nonce);
        Pending fork = new Pending(this, key, System.nanoTime());
        pending.put(key, fork);
        forks.put(key, fork);
        control.write(("fork " + key + "\n").getBytes(StandardCharsets.US_ASCII));
        control.flush();
      }
    } catch (IOException e) {
      LOG.debug("the fork server no longer reads requests: {}", e.toString());
      if (!dead) {
        // Not stopped (stop() closes the pipe, then the server drains its runs): broken.
        process.destroyForcibly();
      }
    }
  }

  private void readReports() {
    try (InputStream out = process.getInputStream();
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(out, StandardCharsets.US_ASCII))) {
      String line;
      while ((line = lines.readLine()) != null) {
        report(line.split(" "));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("reading the fork server's reports failed", e);
    } finally {
      dead = true;
      process.destroyForcibly();
      LiveProcesses.forget(process.toHandle());
      abandonAll();
      exits.forEach(
          (pid, exit) ->
              ProcessHandle.of(pid)
                  .map(ProcessHandle::onExit)
                  .orElse(CompletableFuture.completedFuture(null))
                  .thenRun(() -> exit.complete(UNREPORTED)));
    }
  }

  /** Takes one report line; one that is not well formed is ignored, never fatal to the reader. */
  private void report(String[] words) {
    try {
      reportChecked(words);
    } catch (NumberFormatException e) {
      LOG.warn("the fork server reported something unreadable; ignored: {}", e.getMessage());
    }
  }

  private void reportChecked(String[] words) {
    if (words.length == 3 && words[0].equals("pid")) {
      Pending fork = pending.get(words[1]);
      long pid = Long.parseLong(words[2]);
      CompletableFuture<Integer> exit = new CompletableFuture<>();
      exits.put(pid, exit);
      if (fork != null) {
        fork.forked(pid, exit);
      }
    } else if (words.length == 3 && words[0].equals("exit")) {
      CompletableFuture<Integer> exit = exits.remove(Long.parseLong(words[1]));
      // Asked for before the run learns its end, so that the next run finds it under way.
      fill();
      if (exit != null) {
        exit.complete(Integer.parseInt(words[2]));
      }
    }
  }

  private void abandonAll() {
    List.copyOf(pending.values()).forEach(Pending::abandon);
    ForkedProcess child;
    while ((child = ready.poll()) != null) {
      child.abandon();
    }
  }

  /** A fork asked for: its pid and streams as they arrive, a ready child once all did. */
  static final class Pending {
    private final ForkServer server;
    private final String key;
    private final long asked;
    private final SocketChannel[] streams = new SocketChannel[3];
    private long pid;
    private CompletableFuture<Integer> exit;
    private boolean abandoned;

    private Pending(ForkServer server, String key, long asked) {
      this.server = server;
      this.key = key;
      this.asked = asked;
    }

    synchronized void forked(long pid, CompletableFuture<Integer> exit) {
      this.pid = pid;
      this.exit = exit;
      exit.thenRun(this::abandon);
      complete();
    }

    /** Takes the connection for stream {@code index}; false if it is not wanted (closed then). */
    synchronized boolean connected(int index, SocketChannel stream) {
      if (abandoned || index < 0 || index > 2 || streams[index] != null) {
        return false;
      }
      streams[index] = stream;
      complete();
      return true;
    }

    private void complete() {
      if (pid == 0 || abandoned) {
        return;
      }
      for (SocketChannel stream : streams) {
        if (stream == null) {
          return;
        }
      }
      abandoned = true;
      server.forks.remove(key);
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isEmpty() || server.dead) {
        server.pending.remove(key);
        close();
        return;
      }
      // Still pending while it is moved, so that the pool is not filled twice over.
      List<SocketChannel> connected = List.of(streams);
      CompletableFuture<Integer> ended = exit;
      CGROUPS.execute(
          () -> {
            Optional<RunCgroup> spare;
            try {
              spare = Optional.of(RunCgroup.spare(server.cgroups, handle.get()));
            } catch (RuntimeException e) {
              LOG.warn("a warm child waits in stepguard's cgroups: {}", e.toString());
              spare = Optional.empty();
            }
            ForkedProcess child = new ForkedProcess(handle.get(), connected, ended, spare);
            server.ready.add(child);
            server.pending.remove(key);
            if (server.dead && server.ready.remove(child)) {
              child.abandon();
            }
          });
    }

    /** Gives the fork up: its streams are closed, so a child waiting for its run exits. */
    synchronized void abandon() {
      if (abandoned) {
        return;
      }
      abandoned = true;
      server.pending.remove(key);
      server.forks.remove(key);
      close();
    }

    private void close() {
      for (SocketChannel stream : streams) {
        if (stream != null) {
          try {
            stream.close();
          } catch (IOException e) {
            LOG.debug("closing a stream of an abandoned fork: {}", e.toString());
          }
        }
      }
    }
  }

  private static String load() {
    try (InputStream in = ForkServer.class.getResourceAsStream("zygote.py")) {
      if (in == null) {
        throw new IllegalStateException("zygote.py is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
