package dev.stepguard.composition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Timer;
import java.util.TimerTask;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The command line's side of handing a run to the project's server over {@code
 * .stepguard/server.sock}: the server runs it (in its slots, with its history and its warm
 * launcher) and sends back the record. Loads nothing but the JDK (the record is read by {@link
 * PlainJson}, Jackson only when a caller asks for a tree), so that a handed-off run starts fast.
 * Whenever the server is not there or does not take the run, the answer says so and the caller runs
 * it alone.
 */
public final class HandOff {
  /** The environment that decides how a run is configured and what its script sees. */
  static final List<String> ENVIRONMENT =
      List.of(
          "STEPGUARD_CONFIG",
          "XDG_CONFIG_HOME",
          "XDG_STATE_HOME",
          "HOME",
          "PATH",
          "LANG",
          "LC_ALL",
          "TMPDIR");

  /** How long a server may take to accept or decline a run it was sent. */
  static final Duration ACCEPT_DEADLINE = Duration.ofSeconds(10);

  /** How often the client checks its deadlines, in milliseconds. */
  private static final long TICK_MS = 100;

  /** The longest record or message the client reads back. */
  private static final int MAX_ANSWER = 512 * 1024 * 1024;

  private HandOff() {}

  /** The socket of the server of the project at {@code root}. */
  public static Path socket(Path root) {
    return directory(root).resolve("server.sock");
  }

  /** The private directory the socket is in. */
  static Path directory(Path root) {
    return root.resolve(".stepguard");
  }

  /**
   * A run to hand off: what {@code stepguard run} was given, resolved as it resolves it.
   *
   * @param timeout the {@code --timeout} given, or null
   * @param isolation the {@code --isolation} given, or null
   * @param env the client's values of the variables that configure a run
   */
  public record Request(
      Path project,
      String script,
      String input,
      Duration timeout,
      IsolationChoice isolation,
      Map<String, String> env) {
    public Request {
      Objects.requireNonNull(project, "project");
      Objects.requireNonNull(script, "script");
      Objects.requireNonNull(input, "input");
      env = Map.copyOf(env);
    }

    /** A request whose {@code env} is the relevant part of {@code environment}. */
    public static Request of(
        Path project,
        String script,
        String input,
        Duration timeout,
        IsolationChoice isolation,
        Map<String, String> environment) {
      return new Request(project, script, input, timeout, isolation, environment(environment));
    }
  }

  /**
   * The part of {@code environment} that decides how a run is configured and what its script sees:
   * a server takes a run only from a client whose part is the same as its own.
   */
  public static Map<String, String> environment(Map<String, String> environment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : ENVIRONMENT) {
      String value = environment.get(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    return Map.copyOf(env);
  }

  /** How a hand-off went. */
  public sealed interface Answer {
    /** Not handed off (no server, or the server does not take it): run it alone. */
    record Declined(String reason) implements Answer {}

    /**
     * The server ran it: the configuration's notices, and the record in its JSON shape, read
     * without Jackson ({@link #fields}) or with it ({@link #record}).
     *
     * @param json the record as the server sent it: a JSON object of a run that ended
     */
    record Ended(List<String> notices, String json) implements Answer {
      /**
       * The record's fields as plain JDK values: objects are maps, arrays lists, integers {@link
       * java.math.BigInteger}, other numbers {@link java.math.BigDecimal}, JSON null null.
       */
      public Map<String, Object> fields() {
        return PlainJson.object(json);
      }

      /** The record as a Jackson tree: loads Jackson. */
      public ObjectNode record() {
        try {
          return (ObjectNode) Json.reader().readTree(json);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }

    /** The server took the run and then failed or went away before its end. */
    record Lost(String runId, String message) implements Answer {}
  }

  /** Hands {@code request} to the project's server; {@code cancellation} is forwarded to it. */
  public static Answer send(Request request, Cancellation cancellation) {
    return send(request, cancellation, Deadlines.DEFAULT);
  }

  static Answer send(Request request, Cancellation cancellation, Deadlines deadlines) {
    Path socket = socket(request.project());
    String refusal = unsafe(directory(request.project()), socket);
    if (refusal != null) {
      return new Answer.Declined(refusal);
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (!Peers.trusted(peer)) {
        return new Answer.Declined("the socket's server runs as " + peer.user().getName());
      }
      return converse(channel, request, cancellation, deadlines);
    } catch (IOException | RuntimeException e) {
      return new Answer.Declined("no server: " + e.getMessage());
    }
  }

  /** Why {@code socket} is not to be connected to, or null when it is a socket of this user. */
  private static String unsafe(Path directory, Path socket) {
    try {
      BasicFileAttributes dir =
          Files.readAttributes(directory, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      BasicFileAttributes file =
          Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!dir.isDirectory() || !file.isOther()) {
        return socket + " is not a socket in a directory";
      }
      if (!Peers.trusted(Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName())) {
        return socket + " belongs to another user";
      }
      return null;
    } catch (IOException e) {
      return "no server socket: " + e.getMessage();
    }
  }

  private static Answer converse(
      SocketChannel channel, Request request, Cancellation cancellation, Deadlines deadlines)
      throws IOException {
    try (Watch watch = new Watch(channel, deadlines)) {
      Frames.Frame first;
      try {
        // A server that stopped reading holds the request's write too: the deadline ends it.
        Frames.write(channel, Frames.HEADER, Frames.header(request));
        Frames.write(channel, Frames.INPUT, request.input().getBytes(StandardCharsets.UTF_8));
        first = Frames.read(channel, MAX_ANSWER);
      } catch (IOException e) {
        if (watch.expired()) {
          return new Answer.Declined(
              "the server did not answer within " + deadlines.accept().toSeconds() + " s");
        }
        throw e;
      }
      if (first.type() == Frames.DECLINED) {
        return new Answer.Declined(text(first));
      }
      if (first.type() != Frames.ACCEPTED) {
        return new Answer.Declined("the server answered with a frame of type " + first.type());
      }
      Frames.Accepted accepted = Frames.accepted(first.payload());
      if (!watch.commit()) {
        // No GO is sent: the server withdraws the run and never starts it.
        return new Answer.Declined("the server accepted the run too late");
      }
      // Committed: from here on never Declined, or the caller would run the script a second time.
      return awaitEnd(channel, accepted, cancellation, watch);
    }
  }

  /** Says GO and waits for the run's end, as long as the server keeps saying it is alive. */
  private static Answer awaitEnd(
      SocketChannel channel, Frames.Accepted accepted, Cancellation cancellation, Watch watch) {
    Cancellation.Subscription forwarding =
        cancellation.onRequest(() -> forward(channel, cancellation, watch));
    try {
      Frames.write(channel, Frames.GO, new byte[0]);
      if (cancellation.requested().isPresent()) {
        forward(channel, cancellation, watch);
      }
      while (true) {
        Frames.Frame frame = Frames.read(channel, MAX_ANSWER);
        if (frame.type() == Frames.ALIVE) {
          watch.heard();
          continue;
        }
        if (frame.type() != Frames.ENDED) {
          return new Answer.Lost(accepted.id(), text(frame));
        }
        String record = ended(frame.payload());
        return record == null
            ? new Answer.Lost(accepted.id(), "the server answered a record it cannot have kept")
            : new Answer.Ended(accepted.notices(), record);
      }
    } catch (IOException | RuntimeException e) {
      return new Answer.Lost(
          accepted.id(),
          watch.expired()
              ? "the server stopped answering (" + watch.why() + ")"
              : "the server stopped answering: " + e.getMessage());
    } finally {
      forwarding.close();
    }
  }

  /**
   * The record of an ENDED frame, or null unless it is a JSON object in UTF-8 with a status a run
   * ends in. Read without Jackson, so that a handed-off run that prints its output never loads it.
   */
  private static String ended(byte[] payload) {
    try {
      String json = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload)).toString();
      Object status = PlainJson.object(json).get("status");
      if (!(status instanceof String name)) {
        return null;
      }
      Status ended = Status.valueOf(name);
      return ended == Status.RUNNING || ended == Status.ABANDONED ? null : json;
    } catch (CharacterCodingException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * How long the client waits: for the server's first answer, for any frame once the run is
   * accepted (the server says ALIVE every few seconds), and after an urgent cancel request.
   */
  record Deadlines(Duration accept, Duration silence, Duration urgent) {
    static final Deadlines DEFAULT =
        new Deadlines(ACCEPT_DEADLINE, Duration.ofSeconds(30), Duration.ofSeconds(3));
  }

  /**
   * Closes the channel when the server has not answered in time, which ends the client's wait. The
   * decision whether the client goes on with the server ({@link #commit}) and the decision to give
   * up are taken under one lock, so exactly one of them wins: a client that gave up never says GO,
   * and a client that said GO never runs the script itself.
   */
  private static final class Watch implements AutoCloseable {
    private final SocketChannel channel;
    private final Deadlines deadlines;
    private final Timer timer = new Timer("stepguard-handoff-deadline", true);
    private long deadline;
    private boolean committed;
    private boolean expired;
    private String why;

    Watch(SocketChannel channel, Deadlines deadlines) {
      this.channel = channel;
      this.deadlines = deadlines;
      this.deadline = System.nanoTime() + deadlines.accept().toNanos();
      timer.schedule(
          new TimerTask() {
            @Override
            public void run() {
              check();
            }
          },
          TICK_MS,
          TICK_MS);
    }

    private synchronized void check() {
      if (expired || System.nanoTime() - deadline < 0) {
        return;
      }
      expired = true;
      if (why == null) {
        why = "nothing came for " + deadlines.silence().toSeconds() + " s";
      }
      try {
        channel.close();
      } catch (IOException e) {
        // Closing only ends the wait; there is nothing else to do.
      }
    }

    /** Whether the client goes on with the server: false when it gave up already. */
    synchronized boolean commit() {
      if (expired) {
        return false;
      }
      committed = true;
      deadline = System.nanoTime() + deadlines.silence().toNanos();
      return true;
    }

    /** The server said something: the wait goes on. */
    synchronized void heard() {
      if (!expired && why == null) {
        deadline = System.nanoTime() + deadlines.silence().toNanos();
      }
    }

    /** A second cancel request: the wait ends soon, answered or not. */
    synchronized void urgent() {
      if (committed && why == null) {
        why = "the run was cancelled twice";
        deadline =
            Math.min(deadline - System.nanoTime(), deadlines.urgent().toNanos())
                + System.nanoTime();
      }
    }

    synchronized boolean expired() {
      return expired;
    }

    synchronized String why() {
      return why;
    }

    @Override
    public void close() {
      timer.cancel();
    }
  }

  private static void forward(SocketChannel channel, Cancellation cancellation, Watch watch) {
    if (cancellation.urgent()) {
      watch.urgent();
    }
    String cause = cancellation.requested().map(c -> c.cause()).orElse("cancel request");
    try {
      Frames.write(channel, Frames.CANCEL, cause.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The server is gone: the run's end (lost) is reported by the reading side.
    }
  }

  private static String text(Frames.Frame frame) {
    return new String(frame.payload(), StandardCharsets.UTF_8);
  }
}
