package dev.stepguard.composition;

import dev.stepguard.core.model.ContainedPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** The disk as {@link ContainedPath} walks it: {@code lstat} and {@code readlink}, nothing else. */
final class ProjectDisk implements ContainedPath.Disk {
  static final ProjectDisk INSTANCE = new ProjectDisk();

  private ProjectDisk() {}

  @Override
  public ContainedPath.Kind kind(Path path) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return ContainedPath.Kind.MISSING;
    }
    if (attributes.isSymbolicLink()) {
      return ContainedPath.Kind.LINK;
    }
    return attributes.isDirectory() ? ContainedPath.Kind.DIRECTORY : ContainedPath.Kind.OTHER;
  }

  @Override
  public Path readLink(Path link) throws IOException {
    return Files.readSymbolicLink(link);
  }
}
