package dev.stepguard.adapters.process;

import java.io.IOException;
import java.io.UncheckedIOException;
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

  private final Path path;

  private PrivateHome(Path path) {
    this.path = path;
  }

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  /** A new home named after the run, in a 0700 directory of this stepguard process. */
  static PrivateHome create(String runId) throws IOException {
    return new PrivateHome(Files.createDirectory(Parent.PATH.resolve(runId), OWNER_ONLY));
  }

  /** Created once: homes are named after run ids, which are random. */
  private static final class Parent {
    static final Path PATH = create();

    private static Path create() {
      try {
        return Files.createTempDirectory("stepguard-homes-", OWNER_ONLY);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a directory for run homes", e);
      }
    }
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
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
