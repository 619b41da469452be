package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh 0700 home directory for one run, removed afterwards without following any link the script
 * may have left in it (walkFileTree does not follow links; a link is deleted, not its target). It
 * is removed only once every process of the run is gone.
 */
final class PrivateHome implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateHome.class);

  private final Path path;

  private PrivateHome(Path path) {
    this.path = path;
  }

  static PrivateHome create() throws IOException {
    return new PrivateHome(
        Files.createTempDirectory(
            "stepguard-home-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
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
