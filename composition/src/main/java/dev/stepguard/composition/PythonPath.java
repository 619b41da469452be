package dev.stepguard.composition;

import dev.stepguard.adapters.process.ProcessAdapterModule;
import dev.stepguard.core.model.ContainedPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code pythonPath}: project directories a script imports helper modules from. Each is named
 * relative to the project root (in the operator config too: it applies to every project) and must
 * stay inside it: read from a file, an entry is checked for its shape at once; once the project is
 * known, for being a directory there that no symbolic link leads out of. It only adds to {@code
 * sys.path} what the script could read anyway, so it is never a loosening.
 */
final class PythonPath {
  static final String KEY = "pythonPath";

  /** stepguard's own directory in a project, hidden from sandboxed scripts. */
  private static final String PRIVATE_DIRECTORY = ".stepguard";

  private PythonPath() {}

  /**
   * The entries {@code text} lists, each normalized ({@code .} for the project root itself).
   *
   * @throws ConfigurationException at the key's {@code FILE:LINE:COLUMN} for an empty, absolute or
   *     escaping entry, or one inside stepguard's own directory
   */
  static List<String> entries(ConfigText text) {
    List<String> entries = new ArrayList<>();
    for (String entry : text.content().pythonPath()) {
      shape(entry).ifPresent(problem -> refuse(text.at(KEY), entry, problem));
      String normalized = Path.of(entry).normalize().toString();
      entries.add(normalized.isEmpty() ? "." : normalized);
    }
    return List.copyOf(entries);
  }

  /**
   * Checks each entry against the project on disk.
   *
   * @param where the {@code FILE:LINE:COLUMN: } of the key that set them
   * @throws ConfigurationException for an entry that does not exist, is not a directory or leads
   *     out of the project through a symbolic link
   */
  static void check(List<String> entries, Path projectRoot, String where) {
    Path root = real(projectRoot.toAbsolutePath().normalize());
    for (String entry : entries) {
      shape(entry).ifPresent(problem -> refuse(where, entry, problem));
      Path real = inside(root, entry, where);
      if (real.startsWith(root.resolve(PRIVATE_DIRECTORY))) {
        refuse(where, entry, "is inside stepguard's own " + PRIVATE_DIRECTORY);
      }
      if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
        refuse(where, entry, "is not a directory");
      }
    }
  }

  /**
   * Where {@code entry} leads inside the project; a link that leads out is refused with the same
   * words whatever is at its other end, since the walk never looks there.
   */
  private static Path inside(Path root, String entry, String where) {
    ContainedPath.Found found = ContainedPath.walk(ProcessAdapterModule.disk(), root, entry);
    String problem = "leads outside the project through a symbolic link, or to nothing";
    if (found instanceof ContainedPath.Found.Inside inside) {
      return inside.real();
    } else if (found.throughLink()) {
      refuse(where, entry, problem);
    } else if (found instanceof ContainedPath.Found.Missing) {
      problem = "does not exist in the project " + root;
    } else if (found instanceof ContainedPath.Found.Unreadable unreadable) {
      problem = "cannot be read: " + unreadable.why();
    } else if (found instanceof ContainedPath.Found.NotADirectory) {
      problem = "is not a directory";
    }
    refuse(where, entry, problem);
    return root;
  }

  /** Why {@code entry} cannot name a directory inside the project, whatever is on disk. */
  private static Optional<String> shape(String entry) {
    if (entry == null || entry.isBlank()) {
      return Optional.of("is empty; name a directory relative to the project root");
    }
    Path path;
    try {
      path = Path.of(entry);
    } catch (InvalidPathException e) {
      return Optional.of("is not a path");
    }
    if (path.isAbsolute()) {
      return Optional.of("is absolute; name a directory relative to the project root, inside it");
    }
    Path normalized = path.normalize();
    if (normalized.getNameCount() > 0 && normalized.getName(0).toString().equals("..")) {
      return Optional.of("leads outside the project with '..'");
    }
    if (normalized.startsWith(PRIVATE_DIRECTORY)) {
      return Optional.of("is inside stepguard's own " + PRIVATE_DIRECTORY);
    }
    return Optional.empty();
  }

  private static void refuse(String where, String entry, String problem) {
    throw new ConfigurationException(
        where + KEY + " entry '" + (entry == null ? "" : entry) + "' " + problem);
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }
}
