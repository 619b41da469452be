package dev.stepguard.adapters.persistence;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Whether H2's lock file names an auto-server on this host that accepts connections. H2 then
 * connects to that process without touching the lock file, so a newcomer need not wait its turn at
 * the {@link OpenLock}: only opening the file itself (no host, or a host that is exiting or gone)
 * is done one process at a time.
 */
final class LiveServer {
  static final int CONNECT_TIMEOUT_MILLIS = 500;

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
      if (!host.isLoopbackAddress()) {
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
}
