package dev.stepguard.composition;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the place for the hand-off socket safe before binding: its directory is this user's, 0700,
 * and not a link; whatever is at the socket's path (a stale socket of a killed server, a link) is
 * removed, never followed; a socket a live server answers on is left alone.
 */
final class SocketFile {
  private static final Logger LOG = LoggerFactory.getLogger(SocketFile.class);
  private static final Set<PosixFilePermission> PRIVATE =
      PosixFilePermissions.fromString("rwx------");

  private SocketFile() {}

  /** True when {@code socket} may be bound now; false, with the reason logged, when not. */
  static boolean prepare(Path dir, Path socket) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
    }
    PosixFileAttributes attributes =
        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isDirectory()
        || !Peers.trusted(attributes.owner().getName())
        || !attributes.permissions().equals(PRIVATE)) {
      LOG.warn(
          "not taking runs from the command line: {} is not a directory of this user with mode"
              + " 0700",
          dir);
      return false;
    }
    if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    if (!Files.isSymbolicLink(socket) && answers(socket)) {
      LOG.warn("not taking runs from the command line: another server listens on {}", socket);
      return false;
    }
    Files.delete(socket);
    return true;
  }

  /**
   * Makes the socket just bound owner-only and gives its file key, by which it is known at close.
   *
   * @throws IOException if it is not a socket any more
   */
  static Object restrict(Path socket) throws IOException {
    BasicFileAttributes attributes =
        Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attributes.isOther()) {
      throw new IOException(socket + " is not the socket just bound");
    }
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    return attributes.fileKey();
  }

  private static boolean answers(Path socket) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
