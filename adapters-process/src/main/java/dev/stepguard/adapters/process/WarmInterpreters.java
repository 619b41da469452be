package dev.stepguard.adapters.process;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands runs to children of {@link ForkServer}s instead of starting an interpreter per run: one
 * fork server per interpreter, project and locale, started at its first run, each keeping {@code
 * pool} children ready. A run's cold command (its arguments and environment) becomes the header the
 * child reads first. A run never waits more than {@link #WAIT} for a child: when none comes, or the
 * server died (it is replaced in the background), the run starts cold.
 *
 * <p>The children connect to one Unix socket in a 0700 directory of this JVM; a connection counts
 * only with the 16-byte random nonce of a fork that is waiting for its streams, so no other process
 * can take a run's streams.
 */
final class WarmInterpreters {
  private static final Logger LOG = LoggerFactory.getLogger(WarmInterpreters.class);

  /** The longest a run waits for a ready child before it starts cold. */
  static final Duration WAIT = Duration.ofSeconds(2);

  /** The environment variables of a fork server: those a run's start depends on. */
  private static final List<String> START_ENVIRONMENT = List.of("PATH", "LANG", "LC_ALL");

  private static final int HANDSHAKE = 17;

  /** The most fork servers kept; the one least recently started gives way to a new one. */
  static final int MAX_SERVERS = 4;

  private final int pool;
  private final CgroupHost cgroups;
  private final Map<Key, ForkServer> servers = new ConcurrentHashMap<>();
  private final List<Key> started = new ArrayList<>();
  private final Map<String, ForkServer.Pending> forks = new ConcurrentHashMap<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "stepguard-warm");
            thread.setDaemon(true);
            return thread;
          });
  private Path socket;

  /** Connections that may be waiting for their nonce at once; more are closed at once. */
  private final Semaphore handshakes = new Semaphore(64);

  /** How long a connection may take to send its nonce. */
  private static final Duration HANDSHAKE_TIME = Duration.ofSeconds(2);

  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "stepguard-warm-deadlines");
            thread.setDaemon(true);
            return thread;
          });

  /** What a fork server serves: runs with this interpreter, project root and start environment. */
  private record Key(Path executable, Path directory, Map<String, String> environment) {}

  /** Warm interpreters keeping {@code pool} children ready per fork server, without cgroups. */
  WarmInterpreters(int pool) {
    this(pool, CgroupHost.NONE);
  }

  /**
   * Warm interpreters keeping {@code pool} children ready per fork server, each in spare cgroups
   * where {@code cgroups} allows.
   */
  WarmInterpreters(int pool, CgroupHost cgroups) {
    this.cgroups = Objects.requireNonNull(cgroups, "cgroups");
    if (pool < 1) {
      throw new IllegalArgumentException("pool must be at least 1, was " + pool);
    }
    this.pool = pool;
    RunCgroup.sweepSpares(cgroups);
  }

  /**
   * Hands the run that {@code cold} would start to a ready child of {@code python}, or empty when
   * the run must start cold; {@code release} frees what was set up for the run, once it is over.
   */
  Optional<IsolatedLauncher.Prepared.Claimed> start(
      ProcessBuilder cold, PythonLocator.Discovery.Found python, Runnable release)
      throws InterruptedException {
    List<String> prefix = Bootstrap.warmCommand(python);
    prefix = prefix.subList(0, prefix.size() - 1);
    List<String> command = cold.command();
    if (cold.directory() == null
        || command.size() <= prefix.size()
        || !command.subList(0, prefix.size()).equals(prefix)) {
      return Optional.empty();
    }
    Map<String, String> environment = cold.environment();
    Map<String, String> start = new TreeMap<>();
    START_ENVIRONMENT.stream()
        .filter(environment::containsKey)
        .forEach(name -> start.put(name, environment.get(name)));
    Key key = new Key(python.executable(), cold.directory().toPath(), Map.copyOf(start));
    Optional<ForkServer> server = server(key, python);
    if (server.isEmpty()) {
      return Optional.empty();
    }
    Optional<ForkedProcess> child = server.get().take(WAIT);
    if (child.isEmpty()) {
      return Optional.empty();
    }
    byte[] header =
        Bootstrap.header(
            new ArrayList<>(command.subList(prefix.size(), command.size())), environment);
    ForkedProcess forked = child.get();
    return Optional.of(
        new IsolatedLauncher.Prepared.Claimed(
            forked,
            cgroup -> header,
            () -> {
              forked.cgroup().ifPresent(RunCgroup::close);
              release.run();
            },
            forked.cgroup()));
  }

  /**
   * The live fork server for {@code key}: started here at its first run; a dead one is replaced in
   * the background while runs start cold.
   */
  private Optional<ForkServer> server(Key key, PythonLocator.Discovery.Found python) {
    ForkServer current = servers.get(key);
    if (current != null && current.alive()) {
      return Optional.of(current);
    }
    if (current == null) {
      synchronized (this) {
        current = servers.get(key);
        if (current == null) {
          current = launch(key, python);
          if (current != null) {
            makeRoom();
            servers.put(key, current);
          }
        }
      }
      return Optional.ofNullable(current).filter(ForkServer::alive);
    }
    ForkServer dead = current;
    threads.execute(
        () -> {
          synchronized (this) {
            if (servers.get(key) == dead) {
              ForkServer replacement = launch(key, python);
              if (replacement == null) {
                servers.remove(key);
              } else {
                servers.put(key, replacement);
              }
            }
          }
        });
    return Optional.empty();
  }

  /** Stops the oldest fork servers until one more fits. */
  private void makeRoom() {
    while (servers.size() >= MAX_SERVERS) {
      Key oldest = started.remove(0);
      ForkServer server = servers.remove(oldest);
      if (server != null) {
        server.stop();
      }
    }
  }

  /** Starts a fork server for {@code key}, or null (logged) when it cannot be started. */
  private ForkServer launch(Key key, PythonLocator.Discovery.Found python) {
    try {
      ForkServer server =
          ForkServer.start(
              python, key.directory(), listen(), key.environment(), pool, forks, cgroups);
      started.remove(key);
      started.add(key);
      return server;
    } catch (IOException e) {
      LOG.warn("could not start a fork server; runs start cold", e);
      return null;
    }
  }

  /** The socket the children connect to, listened on from the first call. */
  private synchronized Path listen() throws IOException {
    if (socket != null) {
      return socket;
    }
    Path directory = PrivateHome.processDirectory(PrivateHome.Kind.WARM);
    directory.toFile().deleteOnExit();
    Path path = directory.resolve("s");
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    path.toFile().deleteOnExit();
    threads.execute(() -> accept(server));
    socket = path;
    return path;
  }

  private void accept(ServerSocketChannel server) {
    while (server.isOpen()) {
      try {
        SocketChannel connection = server.accept();
        // Any process of stepguard's user can connect: at most so many handshakes at once, each
        // closed if its nonce has not come within a bounded time.
        if (!handshakes.tryAcquire()) {
          connection.close();
          continue;
        }
        ScheduledFuture<?> cut =
            DEADLINES.schedule(
                () -> closeQuietly(connection), HANDSHAKE_TIME.toMillis(), TimeUnit.MILLISECONDS);
        threads.execute(
            () -> {
              try {
                handshake(connection);
              } finally {
                cut.cancel(false);
                handshakes.release();
              }
            });
      } catch (IOException e) {
        LOG.warn("the warm interpreters' socket failed; runs start cold from now", e);
        return;
      }
    }
  }

  private static void closeQuietly(SocketChannel connection) {
    try {
      connection.close();
    } catch (IOException e) {
      LOG.debug("closing a connection that sent no nonce in time: {}", e.toString());
    }
  }

  /** Reads a connection's nonce and stream index and gives it to its fork, or closes it. */
  private void handshake(SocketChannel connection) {
    ByteBuffer hello = ByteBuffer.allocate(HANDSHAKE);
    try {
      while (hello.hasRemaining()) {
        if (connection.read(hello) < 0) {
          connection.close();
          return;
        }
      }
      byte[] bytes = hello.array();
      String nonce = HexFormat.of().formatHex(bytes, 0, HANDSHAKE - 1);
      ForkServer.Pending fork = forks.get(nonce);
      int index = bytes[HANDSHAKE - 1];
      if (fork == null || !fork.connected(index, connection)) {
        connection.close();
      }
    } catch (IOException e) {
      LOG.debug("a connection to the warm interpreters' socket failed: {}", e.toString());
    }
  }
}
