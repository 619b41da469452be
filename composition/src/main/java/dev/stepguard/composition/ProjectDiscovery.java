package dev.stepguard.composition;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which project a command works on when none is named, found the way git finds a repository: the
 * nearest directory, from where the user stands upwards, that holds {@code stepguard.yaml} or
 * {@code .stepguard/}; else where the user stands.
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
   */
  public static Path find(Path start) {
    Path from = start.toAbsolutePath().normalize();
    for (Path directory = from; directory != null; directory = directory.getParent()) {
      if (isProject(directory)) {
        return directory;
      }
    }
    return from;
  }

  /** Whether {@code directory} holds a {@code stepguard.yaml} or a {@code .stepguard/}. */
  public static boolean isProject(Path directory) {
    return Files.isRegularFile(directory.resolve(ConfigLoader.FILE_NAME))
        || Files.isDirectory(directory.resolve(STATE_DIRECTORY));
  }
}
