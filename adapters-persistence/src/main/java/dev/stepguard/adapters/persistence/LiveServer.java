package dev.stepguard.adapters.persistence;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether H2's lock file names an auto-server on this host, listened to by this user, that accepts
 * connections. H2 then connects to that process without touching the lock file, so a newcomer need
 * not wait its turn at the {@link OpenLock}: only opening the file itself (no host, or a host that
 * is exiting or gone) is done one process at a time.
 */
final class LiveServer {
  static final int CONNECT_TIMEOUT_MILLIS = 500;

  /** The state of a listening socket in {@code /proc/net/tcp}. */
  private static final String LISTEN = "0A";

  private LiveServer() {}

  static boolean advertisedIn(Path lockFile) {
    if (Files.isSymbolicLink(lockFile) || !Files.isRegularFile(lockFile)) {
      return false;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(lockFile, StandardCharsets.ISO_8859_1)) {
      properties.load(reader);
      String server = properties.getProperty("server", "");
      int colon = server.lastIndexOf(':');
      if (colon <= 0) {
        return false;
      }
      InetAddress host = InetAddress.getByName(server.substring(0, colon));
      int port = Integer.parseInt(server.substring(colon + 1));
      if (!host.isLoopbackAddress() || !listenedToByMe(host, port)) {
        return false;
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
        return true;
      }
    } catch (IOException | IllegalArgumentException unreadableOrGone) {
      return false;
    }
  }

  /**
   * Whether a socket of this user listens at {@code host}:{@code port} (or on every address at that
   * port), as the kernel lists them in {@code /proc/net/tcp} and {@code tcp6}. A lock file is a
   * file of the project: one that a commit brought could name another local user's H2 server, which
   * would be sent this user's login and given the history. Where there is no {@code /proc}, no
   * server is believed.
   */
  static boolean listenedToByMe(InetAddress host, int port) throws IOException {
    Optional<Integer> me = PrivateDirectory.effectiveUid();
    if (me.isEmpty()) {
      return false;
    }
    byte[] bytes = host.getAddress();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      Path file = Path.of(table);
      boolean six = table.endsWith("6");
      if (!Files.isReadable(file) || (bytes.length == 16 && !six)) {
        continue;
      }
      // Java listens on IPv6 sockets that take IPv4 too: 127.0.0.1 is then ::ffff:127.0.0.1
      String address = hex(six && bytes.length == 4 ? mapped(bytes) : bytes);
      String any = "0".repeat(address.length());
      for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 8 || !LISTEN.equals(fields[3])) {
          continue;
        }
        int colon = fields[1].indexOf(':');
        if (colon < 0) {
          continue;
        }
        String local = fields[1].substring(0, colon);
        boolean here = local.equalsIgnoreCase(address) || local.equals(any);
        if (here
            && Integer.parseInt(fields[1].substring(colon + 1), 16) == port
            && fields[7].equals(String.valueOf(me.get()))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The IPv6 form of an IPv4 address: {@code ::ffff:a.b.c.d}. */
  private static byte[] mapped(byte[] ipv4) {
    byte[] six = new byte[16];
    six[10] = (byte) 0xff;
    six[11] = (byte) 0xff;
    System.arraycopy(ipv4, 0, six, 12, 4);
    return six;
  }

  /** An address as {@code /proc/net/tcp} writes it: each 4 bytes in the host's (little) order. */
  private static String hex(byte[] address) {
    StringBuilder out = new StringBuilder();
    for (int word = 0; word < address.length; word += 4) {
      for (int i = 3; i >= 0; i--) {
        out.append(String.format("%02X", address[word + i] & 0xff));
      }
    }
    return out.toString();
  }
}
