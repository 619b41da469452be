package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh 0700 home directory for one run, removed afterwards without following any link the script
 * may have left in it (walkFileTree does not follow links; a link is deleted, not its target). It
 * is removed only once every process of the run is gone.
 */
final class PrivateHome implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateHome.class);

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  /** The 0700 directory holding the homes of the runs under way; none while no run is. */
  private static Path parent;

  private static int open;

  private final Path path;
  private boolean closed;

  private PrivateHome(Path path) {
    this.path = path;
  }

  /**
   * A new home named after the run, in a 0700 directory of this stepguard process that is removed
   * when its last run's home is.
   */
  static synchronized PrivateHome create(String runId) throws IOException {
    if (parent == null) {
      parent = Files.createTempDirectory("stepguard-homes-", OWNER_ONLY);
    }
    open++;
    try {
      return new PrivateHome(Files.createDirectory(parent.resolve(runId), OWNER_ONLY));
    } catch (IOException e) {
      release();
      throw e;
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      remove();
    } finally {
      release();
    }
  }

  private static synchronized void release() {
    open--;
    if (open == 0 && parent != null) {
      try {
        Files.delete(parent);
      } catch (IOException e) {
        LOG.warn("could not remove the directory of run homes {}: {}", parent, e.toString());
      }
      parent = null;
    }
  }

  private void remove() {
    try {
      Files.delete(path);
      return;
    } catch (IOException e) {
      // Not empty, or already gone: walk it below.
    }
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("could not remove the run's home directory {}: {}", path, e.toString());
    }
  }
}
