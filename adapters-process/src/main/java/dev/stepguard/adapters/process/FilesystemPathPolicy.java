package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ContainedPath;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ScriptResolution;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * Resolves scripts against the real project root with {@code toRealPath} and {@code
 * Path.startsWith}. A script must be reached without any symbolic link, because the bootstrap opens
 * it the same way; stepguard's own {@code .stepguard/} directory is never a script.
 */
final class FilesystemPathPolicy implements PathPolicy {
  static final String PRIVATE_DIRECTORY = ".stepguard";

  private final Path root;

  FilesystemPathPolicy(Path projectRoot) {
    try {
      this.root = projectRoot.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("the project directory " + projectRoot + " is not there", e);
    }
  }

  @Override
  public Path projectRoot() {
    return root;
  }

  @Override
  public ScriptResolution resolve(ScriptPath script) {
    String name = script.value();
    Optional<String> problem = locate(name);
    if (problem.isPresent()) {
      return new ScriptResolution.Refused(problem.get());
    }
    return regularFile(script, root.resolve(name));
  }

  @Override
  public Optional<String> inputPathProblem(String path) {
    Optional<String> shape = ScriptPath.shapeProblem(path);
    if (shape.isPresent()) {
      return Optional.of(path + ": " + shape.get());
    }
    return locate(path);
  }

  /**
   * Why {@code name} may not be used, or empty when it is inside the project without links. A name
   * through a link that does not lead to something inside the project gets one answer, whatever is
   * or is not at the other end: the walk never looks outside.
   */
  private Optional<String> locate(String name) {
    if (name.equals(PRIVATE_DIRECTORY) || name.startsWith(PRIVATE_DIRECTORY + "/")) {
      return Optional.of(name + " is inside stepguard's private directory");
    }
    ContainedPath.Found found = ContainedPath.walk(FilesystemDisk.INSTANCE, root, name);
    if (found instanceof ContainedPath.Found.Inside inside && inside.throughLink()) {
      return Optional.of(
          name
              + " goes through a symbolic link; name the file by its real path, "
              + root.relativize(inside.real()));
    }
    if (found.throughLink()) {
      return Optional.of(
          name + " goes through a symbolic link that leads outside the project or to nothing");
    }
    if (found instanceof ContainedPath.Found.Missing) {
      return Optional.of(name + " does not exist in the project " + root);
    }
    if (found instanceof ContainedPath.Found.NotADirectory file) {
      return Optional.of(
          name + " cannot be read: " + root.relativize(file.file()) + " is not a directory");
    }
    if (found instanceof ContainedPath.Found.Unreadable unreadable) {
      return Optional.of(name + " cannot be read: " + unreadable.why());
    }
    if (found instanceof ContainedPath.Found.Outside) {
      return Optional.of(name + " is outside the project");
    }
    return Optional.empty();
  }

  private static ScriptResolution regularFile(ScriptPath script, Path real) {
    try {
      BasicFileAttributes attributes =
          Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isDirectory()) {
        return new ScriptResolution.Refused(script + " is a directory, not a Python file");
      }
      if (!attributes.isRegularFile()) {
        return new ScriptResolution.Refused(script + " is not a regular file");
      }
      return new ScriptResolution.Resolved(script);
    } catch (IOException e) {
      return new ScriptResolution.Refused(script + " cannot be read: " + e.getMessage());
    }
  }
}
