package dev.stepguard.composition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which project a command works on when none is named, found the way git finds a repository: the
 * nearest directory, from where the user stands upwards, that holds {@code stepguard.yaml} or
 * {@code .stepguard/}; else where the user stands. As git refuses a repository of another user, a
 * project whose marker belongs to another user is not adopted: in a shared directory anyone could
 * leave one, and every command below it would then read that user's settings and keep its history
 * there.
 */
public final class ProjectDiscovery {
  /** The directory a project keeps its history (and token) in. */
  public static final String STATE_DIRECTORY = ".stepguard";

  private ProjectDiscovery() {}

  /**
   * The project of a user standing in {@code start}.
   *
   * @param start where the user stands (the entry point fills it from {@code user.dir})
   * @return the absolute, normalized project root
   * @throws ConfigurationException if the nearest project belongs to another user
   */
  public static Path find(Path start) {
    return find(start, currentUser());
  }

  /**
   * The uid of this process: the owner of the directory {@code /proc/self} leads to (the link
   * itself belongs to root, whoever reads it).
   */
  static Optional<Integer> currentUser() {
    try {
      return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }

  /** {@link #find(Path)} for the user numbered {@code me} (empty: no owner is checked). */
  static Path find(Path start, Optional<Integer> me) {
    Path from = start.toAbsolutePath().normalize();
    for (Path directory = from; directory != null; directory = directory.getParent()) {
      Optional<Path> marker = marker(directory);
      if (marker.isPresent()) {
        Optional<Integer> owner = owner(marker.get());
        if (me.isPresent() && owner.isPresent() && !owner.equals(me)) {
          throw new ConfigurationException(
              marker.get()
                  + " belongs to another user (uid "
                  + owner.get()
                  + "), so "
                  + directory
                  + " is not taken as the project: give --project "
                  + directory
                  + " to use it anyway, or --project . for the current directory");
        }
        return directory;
      }
    }
    return from;
  }

  /** Whether {@code directory} holds a {@code stepguard.yaml} or a {@code .stepguard/}. */
  public static boolean isProject(Path directory) {
    return marker(directory).isPresent();
  }

  private static Optional<Path> marker(Path directory) {
    Path config = directory.resolve(ConfigLoader.FILE_NAME);
    if (Files.isRegularFile(config)) {
      return Optional.of(config);
    }
    Path state = directory.resolve(STATE_DIRECTORY);
    return Files.isDirectory(state) ? Optional.of(state) : Optional.empty();
  }

  /** The uid owning {@code path}; empty where the file system does not say. */
  private static Optional<Integer> owner(Path path) {
    try {
      return Optional.of((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException unknown) {
      return Optional.empty();
    }
  }
}
