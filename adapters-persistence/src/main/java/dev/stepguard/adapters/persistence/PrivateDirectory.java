package dev.stepguard.adapters.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Checks on the project's {@code .stepguard} directory and the files in it, made without following
 * symbolic links: whoever can commit to a project can commit a {@code .stepguard} that is a link,
 * or one that someone else owns, and stepguard must not open a history through either.
 */
final class PrivateDirectory {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static final Path PROC_STATUS = Path.of("/proc/self/status");

  private PrivateDirectory() {}

  /**
   * Makes sure {@code directory} is a real directory (not a link), owned by the effective user and
   * not writable by group or others, creating it 0700 when absent and making it 0700 when others
   * may read or enter it.
   */
  static void secure(Path directory) throws IOException {
    PosixFileAttributes attributes;
    try {
      attributes = attributes(directory);
    } catch (NoSuchFileException absent) {
      try {
        Files.createDirectory(
            directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException raced) {
        // another stepguard process (or a link planted meanwhile): checked below either way
      }
      attributes = attributes(directory);
    }
    if (attributes.isSymbolicLink()) {
      throw new IOException(
          directory
              + " is a symbolic link; stepguard keeps its history only in a real directory:"
              + " remove the link and run again");
    }
    if (!attributes.isDirectory()) {
      throw new IOException(directory + " is not a directory: remove it and run again");
    }
    requireOwnedByMe(directory);
    Set<PosixFilePermission> permissions = attributes.permissions();
    if (permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(
          directory
              + " is writable by group or others ("
              + PosixFilePermissions.toString(permissions)
              + "): run chmod 700 "
              + directory);
    }
    if (!permissions.equals(OWNER_ONLY)) {
      // made by hand or checked out (0755): the database files in it are as readable as it is
      Files.setPosixFilePermissions(directory, OWNER_ONLY);
    }
    requireNoLinks(directory);
  }

  /**
   * Refuses a symbolic link anywhere in {@code directory}'s entries: stepguard makes none there,
   * and H2 and stepguard open the files there by name, some of them (H2's temporary and compacted
   * files) following links, so that a link a commit planted under one of those names would have the
   * host write through it to any file the operator can write.
   */
  static void requireNoLinks(Path directory) throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path entry : entries) {
        if (Files.isSymbolicLink(entry)) {
          throw new IOException(
              entry
                  + " is a symbolic link; stepguard makes none in "
                  + directory
                  + ", where a commit can plant one to have it write elsewhere: remove it (rm "
                  + entry
                  + ") and run again");
        }
      }
    }
  }

  /** Refuses {@code file} if it is there and is a link, not a regular file or not the user's. */
  static void requirePlainFileIfPresent(Path file) throws IOException {
    PosixFileAttributes attributes;
    try {
      attributes = attributes(file);
    } catch (NoSuchFileException absent) {
      return;
    }
    if (!attributes.isRegularFile()) {
      throw new IOException(
          file + " is a symbolic link or not a regular file; the history must be a plain file");
    }
    requireOwnedByMe(file);
  }

  /** Refuses {@code path} (not followed if a link) unless the effective user owns it. */
  static void requireOwnedByMe(Path path) throws IOException {
    int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    Optional<Integer> me = effectiveUid();
    if (me.isPresent() && owner != me.get()) {
      throw new IOException(
          path
              + " belongs to user id "
              + owner
              + ", not to the user running stepguard ("
              + me.get()
              + "); stepguard uses only history files of its own user");
    }
  }

  /** The effective user id, from {@code /proc/self/status}; empty where there is no such file. */
  static Optional<Integer> effectiveUid() throws IOException {
    if (!Files.isReadable(PROC_STATUS)) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(PROC_STATUS, StandardCharsets.UTF_8)) {
      if (line.startsWith("Uid:")) {
        String[] ids = line.substring("Uid:".length()).trim().split("\\s+");
        return Optional.of(Integer.parseInt(ids[1]));
      }
    }
    return Optional.empty();
  }

  private static PosixFileAttributes attributes(Path path) throws IOException {
    return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }
}
