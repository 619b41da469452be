package dev.stepguard.core.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A script named relative to the project root, checked for shape only: no absolute paths, no {@code
 * ..}, no NUL, backslash or control characters, and a {@code .py} ending. Whether it exists and
 * stays inside the project on disk is the {@code PathPolicy}'s question.
 */
public record ScriptPath(String value) {
  static final int MAX_LENGTH = 4096;

  public ScriptPath {
    Objects.requireNonNull(value, "value");
    problemWith(value)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
  }

  /** Why {@code raw} is not an acceptable script path, or empty when it is. */
  public static Optional<String> problemWith(String raw) {
    Optional<String> shape = shapeProblem(raw);
    if (shape.isPresent()) {
      return shape;
    }
    if (!raw.endsWith(".py")) {
      return Optional.of("it is not a .py file");
    }
    return Optional.empty();
  }

  /**
   * Why {@code raw} is not a project-relative path of the accepted shape (any file, not only a
   * script), or empty when it is.
   */
  public static Optional<String> shapeProblem(String raw) {
    if (raw == null || raw.isEmpty()) {
      return Optional.of("no script path was given");
    }
    if (raw.length() > MAX_LENGTH) {
      return Optional.of("the path is longer than " + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == 0) {
        return Optional.of("the path contains a NUL byte at position " + i);
      }
      if (c == '\\') {
        return Optional.of("the path contains a backslash; separate directories with '/'");
      }
      if (Character.isISOControl(c)) {
        return Optional.of(
            String.format(
                "the path contains the control character U+%04X at position %d", (int) c, i));
      }
    }
    if (raw.startsWith("/")) {
      return Optional.of("the path is absolute; give it relative to the project root");
    }
    for (String segment : raw.split("/", -1)) {
      if (segment.equals("..")) {
        return Optional.of("the path contains '..'; it must stay inside the project");
      }
      if (segment.isEmpty() || segment.equals(".")) {
        return Optional.of("the path has an empty or '.' segment; write it as dir/file");
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return value;
  }
}
