package dev.stepguard.composition;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The hand-off socket's framing: one type byte, a four-byte length, then that many bytes. Reads and
 * writes go straight to the channel, so that one thread may read while another writes.
 */
final class Frames {
  /** Client to server: the run's header (JSON), its input (UTF-8), a cancel request (cause). */
  static final byte HEADER = 'H';

  static final byte INPUT = 'I';
  static final byte CANCEL = 'C';

  /** Server to client: declined (reason), accepted (JSON), ended (JSON), failed (message). */
  static final byte DECLINED = 'D';

  static final byte ACCEPTED = 'A';
  static final byte ENDED = 'E';
  static final byte FAILED = 'X';

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

  private static ByteBuffer fill(SocketChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new EOFException("the other side closed the connection");
      }
    }
    return buffer;
  }
}
