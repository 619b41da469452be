package dev.stepguard.composition;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hand-off socket's framing: one type byte, a four-byte length, then that many bytes. Reads and
 * writes go straight to the channel, so that one thread may read while another writes.
 *
 * <p>The conversation: the client sends {@link #HEADER} and {@link #INPUT}; the server answers
 * {@link #DECLINED}, or {@link #ACCEPTED} once the run is recorded and queued but not started; the
 * client answers {@link #GO} only if it has not given up meanwhile (and then never runs the script
 * itself), and the server starts the run only on GO. Then the server sends {@link #ALIVE} every few
 * seconds and at last {@link #ENDED} or {@link #FAILED}; the client may send {@link #CANCEL}.
 */
final class Frames {
  /** Client to server: the run's header (JSON), its input (UTF-8), a cancel request (cause). */
  static final byte HEADER = 'H';

  static final byte INPUT = 'I';
  static final byte CANCEL = 'C';

  /** Client to server, after ACCEPTED: start the run; the client waits for it from now on. */
  static final byte GO = 'G';

  /** Server to client: declined (reason), accepted (JSON), ended (JSON), failed (message). */
  static final byte DECLINED = 'D';

  static final byte ACCEPTED = 'A';
  static final byte ENDED = 'E';
  static final byte FAILED = 'X';

  /** Server to client while a run goes on: the server is still there. */
  static final byte ALIVE = 'L';

  /**
   * The version of the conversation; a server of another version closes the connection, and the
   * client then runs alone. Version 2 added GO and ALIVE.
   */
  static final int VERSION = 2;

  /** Notices are cut to this many characters (writeUTF takes at most 64 KiB). */
  private static final int MAX_NOTICE = 4096;

  private Frames() {}

  /** One frame read whole. */
  record Frame(byte type, byte[] payload) {}

  /** A frame larger than its reader takes. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  static void write(SocketChannel channel, byte type, byte[] payload) throws IOException {
    ByteBuffer head = ByteBuffer.allocate(5).put(type).putInt(payload.length).flip();
    ByteBuffer body = ByteBuffer.wrap(payload);
    synchronized (channel) {
      while (head.hasRemaining() || body.hasRemaining()) {
        channel.write(new ByteBuffer[] {head, body});
      }
    }
  }

  /**
   * The next frame, at most {@code maxBytes} long.
   *
   * @throws EOFException when the other side closed before a whole frame
   * @throws TooLarge when the frame is longer, its payload left unread
   */
  static Frame read(SocketChannel channel, int maxBytes) throws IOException {
    ByteBuffer head = fill(channel, ByteBuffer.allocate(5)).flip();
    byte type = head.get();
    int length = head.getInt();
    if (length < 0 || length > maxBytes) {
      throw new TooLarge("a frame of " + Integer.toUnsignedString(length) + " bytes");
    }
    return new Frame(type, fill(channel, ByteBuffer.allocate(length)).array());
  }

  /** The header of {@code request}, written without Jackson: the client loads little. */
  static byte[] header(HandOff.Request request) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(VERSION);
    out.writeUTF(request.project().toString());
    out.writeUTF(request.script());
    out.writeLong(request.timeout() == null ? -1 : request.timeout().toMillis());
    out.writeUTF(request.isolation() == null ? "" : request.isolation().name());
    out.writeInt(request.env().size());
    for (Map.Entry<String, String> variable : request.env().entrySet()) {
      out.writeUTF(variable.getKey());
      out.writeUTF(variable.getValue());
    }
    return bytes.toByteArray();
  }

  /**
   * The request of {@code header} with {@code input}.
   *
   * @throws IOException if they are malformed
   */
  static HandOff.Request request(byte[] header, byte[] input) throws IOException {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(header));
      if (in.readInt() != VERSION) {
        throw new IOException("another version of the hand-off");
      }
      Path project = Path.of(in.readUTF());
      String script = in.readUTF();
      long timeout = in.readLong();
      String isolation = in.readUTF();
      int variables = in.readInt();
      if (variables < 0 || variables > HandOff.ENVIRONMENT.size()) {
        throw new IOException(variables + " variables");
      }
      Map<String, String> env = new HashMap<>();
      for (int i = 0; i < variables; i++) {
        env.put(in.readUTF(), in.readUTF());
      }
      return new HandOff.Request(
          project,
          script,
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(input)).toString(),
          timeout < 0 ? null : Duration.ofMillis(timeout),
          isolation.isEmpty() ? null : IsolationChoice.valueOf(isolation),
          env);
    } catch (IllegalArgumentException e) {
      throw new IOException("a malformed request: " + e.getMessage(), e);
    }
  }

  /** What the server says when it took a run: its id, and the configuration's notices. */
  record Accepted(String id, List<String> notices) {}

  static byte[] accepted(String id, List<String> notices) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeUTF(id);
    out.writeInt(notices.size());
    for (String notice : notices) {
      out.writeUTF(notice.length() > MAX_NOTICE ? notice.substring(0, MAX_NOTICE) : notice);
    }
    return bytes.toByteArray();
  }

  static Accepted accepted(byte[] payload) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
    String id = in.readUTF();
    int count = in.readInt();
    List<String> notices = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      notices.add(in.readUTF());
    }
    return new Accepted(id, notices);
  }

  private static ByteBuffer fill(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("the other side closed the connection");
      }
    }
    return buffer;
  }
}
