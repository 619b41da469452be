package dev.stepguard.adapters.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A project directory for a test, with helpers to write scripts and plant links. The project is
 * 0755 like a real one (umask 022), whatever the umask, so that the sandbox's nobody can read it
 * when the tests run as root; the 0700 JUnit directory above it is not visible in the sandbox,
 * which creates the parents of the project 0755.
 */
final class TestProject {
  private final Path root;

  TestProject(Path parent) {
    try {
      this.root = Files.createDirectories(parent.resolve("proj")).toRealPath();
      Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path root() {
    return root;
  }

  /** Writes {@code source} at {@code relative} inside the project, creating directories. */
  TestProject script(String relative, String source) {
    return file(root.resolve(relative), source);
  }

  /** Writes a file anywhere, e.g. next to the project. */
  TestProject file(Path path, String source) {
    try {
      Files.createDirectories(path.getParent());
      Files.writeString(path, source, StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestProject directory(String relative) {
    try {
      Files.createDirectories(root.resolve(relative));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes {@code relative} inside the project a symbolic link to {@code target}. */
  TestProject link(String relative, Path target) {
    try {
      Path link = root.resolve(relative);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, target);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
