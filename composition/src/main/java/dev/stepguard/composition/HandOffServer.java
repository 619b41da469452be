package dev.stepguard.composition;

import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Requester;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of {@link HandOff}: listens on the project's {@code .stepguard/server.sock}
 * (0600 in the 0700 directory), takes runs only from its own user (or root), checked on each
 * connection's credentials, and gives each to {@link Runs}. Bounded: a cap on connections, on the
 * request's size, and a deadline for the request to arrive. A run is started only when its client
 * answers the acceptance with GO (see {@link Frames}): a client that gave up before, or goes away,
 * has its run withdrawn, never started, so that a script runs at most once. A client that goes away
 * later cancels its run, since the command line owns its run.
 */
public final class HandOffServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HandOffServer.class);
  private static final int MAX_HEADER = 64 * 1024;
  private static final int MAX_CANCEL = 1024;
  static final Duration REQUEST_DEADLINE = Duration.ofSeconds(10);

  /** How long the client has to answer the acceptance with GO before its run is withdrawn. */
  static final Duration GO_DEADLINE = Duration.ofSeconds(5);

  /** How often the server tells the client of a run that goes on that it is still there. */
  static final Duration ALIVE_EVERY = Duration.ofSeconds(5);

  /** The cause recorded for a run withdrawn because its client went away before GO. */
  static final String WENT_AWAY = "the command line went away before the run started";

  /** What the server does with the runs handed to it. */
  public interface Runs {
    /**
     * Takes {@code request} for {@code requester}, or declines it (then the client runs it alone).
     */
    Taken take(HandOff.Request request, Requester requester);
  }

  /** Whether a run was taken. */
  public sealed interface Taken {
    /** Not taken, and why: the client runs it alone. */
    record Declined(String reason) implements Taken {}

    /**
     * Taken and recorded as run {@code id}, queued but not started: {@code start} lets it start
     * (once the client said GO), {@code cancel} stops it or, before the start, withdraws it so that
     * it never starts; it ends at {@code end}.
     */
    record Accepted(
        String id,
        List<String> notices,
        CompletableFuture<ExecutionRecord> end,
        Consumer<CancelRequest> cancel,
        Runnable start)
        implements Taken {
      public Accepted {
        Objects.requireNonNull(id, "id");
        notices = List.copyOf(notices);
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(cancel, "cancel");
        Objects.requireNonNull(start, "start");
      }
    }
  }

  private final Path socket;
  private final Object socketKey;
  private final ServerSocketChannel listener;
  private final Runs runs;
  private final int maxInput;
  private final Semaphore connections;
  private final ExecutorService threads = Executors.newCachedThreadPool(HandOffServer::thread);
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(HandOffServer::thread);

  /** Guards {@link #open} and {@link #closed}: the deadlines stop with the last connection. */
  private final Object lifecycle = new Object();

  private int open;
  private boolean closed;

  private HandOffServer(
      Path socket,
      Object socketKey,
      ServerSocketChannel listener,
      Runs runs,
      int maxInput,
      int max) {
    this.socket = socket;
    this.socketKey = socketKey;
    this.listener = listener;
    this.runs = Objects.requireNonNull(runs, "runs");
    this.maxInput = maxInput;
    this.connections = new Semaphore(max);
  }

  /**
   * Listens for the project at {@code root}, or says in the log why not and gives empty (the server
   * then works without hand-offs).
   *
   * @param maxInput the largest input taken, in bytes
   * @param maxConnections the most connections at once; more are closed at once
   */
  public static Optional<HandOffServer> listen(
      Path root, Runs runs, long maxInput, int maxConnections) {
    Path socket = HandOff.socket(root);
    try {
      if (!SocketFile.prepare(HandOff.directory(root), socket)) {
        return Optional.empty();
      }
      ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        listener.bind(UnixDomainSocketAddress.of(socket));
        // The directory is this user's and 0700, so nobody else can have swapped the socket for
        // a link since the bind; chmod follows links (a socket cannot be opened to fchmod it).
        Object key = SocketFile.restrict(socket);
        HandOffServer server =
            new HandOffServer(
                socket,
                key,
                listener,
                runs,
                (int) Math.min(maxInput, Integer.MAX_VALUE - 1),
                maxConnections);
        server.threads.execute(server::accept);
        LOG.info("taking runs from the command line on {}", socket);
        return Optional.of(server);
      } catch (IOException | RuntimeException e) {
        listener.close();
        Files.deleteIfExists(socket);
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("not taking runs from the command line on {}: {}", socket, e.getMessage());
      return Optional.empty();
    }
  }

  private static Thread thread(Runnable task) {
    Thread thread = new Thread(task, "stepguard-handoff");
    thread.setDaemon(true);
    return thread;
  }

  private void accept() {
    while (listener.isOpen()) {
      SocketChannel channel;
      try {
        channel = listener.accept();
      } catch (IOException e) {
        if (listener.isOpen()) {
          LOG.warn("hand-off socket: {}", e.getMessage());
        }
        return;
      }
      if (!connections.tryAcquire()) {
        LOG.warn("hand-off connection refused: too many at once");
        closeQuietly(channel);
        continue;
      }
      synchronized (lifecycle) {
        if (closed) {
          connections.release();
          closeQuietly(channel);
          return;
        }
        open++;
      }
      threads.execute(
          () -> {
            try (channel) {
              serve(channel);
            } catch (IOException | RuntimeException e) {
              LOG.debug("hand-off connection ended: {}", e.getMessage());
            } finally {
              connections.release();
              ended();
            }
          });
    }
  }

  private void serve(SocketChannel channel) throws IOException {
    UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
    if (!Peers.trusted(peer)) {
      LOG.warn("hand-off refused to user {}: only this server's user may", peer.user().getName());
      return;
    }
    Requester requester = Requester.cli(peer.user().getName());
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> closeQuietly(channel), REQUEST_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    HandOff.Request request;
    try {
      Frames.Frame header = Frames.read(channel, MAX_HEADER);
      Frames.Frame input = Frames.read(channel, maxInput);
      if (header.type() != Frames.HEADER || input.type() != Frames.INPUT) {
        return;
      }
      request = Frames.request(header.payload(), input.payload());
    } catch (Frames.TooLarge e) {
      deadline.cancel(false);
      decline(channel, "the request is too large: " + e.getMessage());
      return;
    }
    if (!deadline.cancel(false)) {
      return;
    }
    Taken taken = runs.take(request, requester);
    if (taken instanceof Taken.Declined declined) {
      decline(channel, declined.reason());
      return;
    }
    Taken.Accepted run = (Taken.Accepted) taken;
    if (!committed(channel, run)) {
      LOG.info("the command line of run {} went away before it started; withdrawing it", run.id());
      run.cancel().accept(new CancelRequest(WENT_AWAY, requester));
      return;
    }
    run.start().run();
    follow(channel, run, requester);
  }

  private static void decline(SocketChannel channel, String reason) throws IOException {
    LOG.debug("hand-off declined: {}", reason);
    Frames.write(channel, Frames.DECLINED, reason.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Tells the client its run is accepted and waits for its GO: false when the client does not say
   * GO within {@link #GO_DEADLINE}, goes away, or the acceptance cannot even be written.
   */
  private boolean committed(SocketChannel channel, Taken.Accepted run) {
    try {
      Frames.write(channel, Frames.ACCEPTED, Frames.accepted(run.id(), run.notices()));
    } catch (IOException e) {
      return false;
    }
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> closeQuietly(channel), GO_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    try {
      // Cancelling the deadline decides: once it closed the channel, a GO read before is void.
      return Frames.read(channel, MAX_CANCEL).type() == Frames.GO && deadline.cancel(false);
    } catch (IOException e) {
      return false;
    } finally {
      deadline.cancel(false);
    }
  }

  /** Answers the started run's end; a cancel request or the client's going away cancels it. */
  private void follow(SocketChannel channel, Taken.Accepted run, Requester requester)
      throws IOException {
    Alive alive = new Alive(channel);
    ScheduledFuture<?> beats =
        deadlines.scheduleAtFixedRate(
            alive::beat, ALIVE_EVERY.toMillis(), ALIVE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    // The run's end ends the wait for the client's frames below; the answer is written here.
    run.end().whenComplete((record, error) -> endInput(channel));
    while (true) {
      Frames.Frame frame;
      try {
        frame = Frames.read(channel, MAX_CANCEL);
      } catch (IOException e) {
        break;
      }
      if (frame.type() == Frames.CANCEL) {
        String cause = new String(frame.payload(), StandardCharsets.UTF_8);
        run.cancel()
            .accept(new CancelRequest(cause.isBlank() ? "cancel request" : cause, requester));
      }
    }
    beats.cancel(false);
    alive.stop();
    if (!run.end().isDone()) {
      LOG.info("the client of run {} went away; cancelling it", run.id());
      run.cancel().accept(new CancelRequest("client disconnected", requester));
      return;
    }
    try {
      Frames.write(
          channel, Frames.ENDED, Json.writer().writeValueAsBytes(Json.tree(run.end().join())));
    } catch (CompletionException e) {
      Frames.write(
          channel,
          Frames.FAILED,
          ("run " + run.id() + " failed in the server: " + e.getCause().getMessage())
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The ALIVE frames of one connection, written by the deadlines' thread: never while (or after)
   * the answer is written, so that a client that stops reading cannot hold that thread.
   */
  private static final class Alive {
    private final SocketChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean stopped;

    Alive(SocketChannel channel) {
      this.channel = channel;
    }

    void beat() {
      if (!lock.tryLock()) {
        return;
      }
      try {
        if (!stopped) {
          Frames.write(channel, Frames.ALIVE, new byte[0]);
        }
      } catch (IOException e) {
        LOG.debug("the hand-off client is gone: {}", e.getMessage());
      } finally {
        lock.unlock();
      }
    }

    /** No beat from now on; waits for one being written. */
    void stop() {
      lock.lock();
      try {
        stopped = true;
      } finally {
        lock.unlock();
      }
    }
  }

  private static void endInput(SocketChannel channel) {
    try {
      channel.shutdownInput();
    } catch (IOException e) {
      LOG.debug("the hand-off connection is closed already: {}", e.getMessage());
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing a hand-off connection: {}", e.getMessage());
    }
  }

  /**
   * Stops listening and removes the socket file if it is still this server's; the connections open
   * go on until their runs end.
   */
  @Override
  public void close() {
    try {
      listener.close();
      if (socketKey != null
          && socketKey.equals(
              Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                  .fileKey())) {
        Files.deleteIfExists(socket);
      }
    } catch (IOException e) {
      LOG.debug("closing the hand-off socket: {}", e.getMessage());
    }
    synchronized (lifecycle) {
      closed = true;
      if (open == 0) {
        deadlines.shutdownNow();
      }
    }
  }

  /**
   * A connection ended. The deadlines (and ALIVE frames) go on for connections still open after the
   * server stopped listening: their runs drain, and their clients wait for them.
   */
  private void ended() {
    synchronized (lifecycle) {
      open--;
      if (closed && open == 0) {
        deadlines.shutdownNow();
      }
    }
  }
}
