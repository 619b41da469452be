package dev.stepguard.app.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Raw HTTP/1.1 over a socket, for what a well-behaved client never sends. */
final class RawHttp {
  private RawHttp() {}

  /** Opens a connection to {@code port} and sends {@code text} on it, leaving it open. */
  static Socket send(int port, String text) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return socket;
  }

  /** Sends {@code text} on a new connection and gives the whole answer (read until closed). */
  static String exchange(int port, String text) throws IOException {
    try (Socket socket = send(port, text)) {
      return readAll(socket, 20_000);
    }
  }

  /**
   * What the server sends on {@code socket} until it closes it or {@code timeoutMs} pass without a
   * byte; {@code null} when nothing at all came.
   */
  static String readAll(Socket socket, int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
        answer.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException | java.net.SocketException stoppedOrReset) {
      // what came so far is the answer
    }
    return answer.size() == 0 ? null : answer.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads until {@code marker} came, or {@code timeoutMs} passed without a byte. */
  static String readUntil(Socket socket, String marker, int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    InputStream in = socket.getInputStream();
    StringBuilder seen = new StringBuilder();
    try {
      for (int b = in.read(); b != -1; b = in.read()) {
        seen.append((char) b);
        if (seen.indexOf(marker) >= 0) {
          break;
        }
      }
    } catch (SocketTimeoutException nothingMore) {
      // what came so far is the answer
    }
    return seen.toString();
  }

  /** Reads one answer that has a Content-Length, and nothing after it. */
  static String readResponse(Socket socket, int timeoutMs) throws IOException {
    String head = readUntil(socket, "\r\n\r\n", timeoutMs);
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (!length.find()) {
      throw new IOException("no Content-Length in " + head);
    }
    byte[] body = socket.getInputStream().readNBytes(Integer.parseInt(length.group(1)));
    return head + new String(body, StandardCharsets.ISO_8859_1);
  }

  /** The body of a whole answer: what follows the blank line after the headers. */
  static String body(String answer) {
    int end = answer.indexOf("\r\n\r\n");
    return end < 0 ? "" : answer.substring(end + 4);
  }
}
