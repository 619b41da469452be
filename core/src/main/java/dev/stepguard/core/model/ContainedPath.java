package dev.stepguard.core.model;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Where a name inside a project leads, found one component at a time without ever looking at
 * anything outside the project: each link is read (never followed by the kernel) and its target
 * walked the same way, and a link or {@code ..} that leaves the project ends the walk there. So the
 * answer for a path through {@code root -> /} is the same whether {@code /etc/shadow} exists or
 * not: no message about a path outside the project can say anything about the outside. The disk is
 * read through {@link Disk}, which each module that walks provides.
 */
public final class ContainedPath {
  /** What the walk asks of the disk, never following a link. */
  public interface Disk {
    /** What is at {@code path} itself (a link is a link). */
    Kind kind(Path path) throws IOException;

    /** The target a link holds, as written. */
    Path readLink(Path link) throws IOException;
  }

  /** What a path is, without following a link. */
  public enum Kind {
    MISSING,
    LINK,
    DIRECTORY,
    OTHER
  }

  /** As many links as Linux follows in one path (ELOOP). */
  static final int MAX_LINKS = 40;

  private ContainedPath() {}

  /** Where a walk ended. */
  public sealed interface Found {
    /** Whether the walk went through a symbolic link. */
    boolean throughLink();

    /** The name leads to {@code real}, inside the project (a real path, without links). */
    record Inside(Path real, boolean throughLink) implements Found {}

    /** Nothing is there: {@code missing} (inside the project, without links) does not exist. */
    record Missing(Path missing, boolean throughLink) implements Found {}

    /** A component that is not a directory has more after it ({@code file/x}). */
    record NotADirectory(Path file, boolean throughLink) implements Found {}

    /** {@code ..} or a link leaves the project: nothing beyond it was looked at. */
    record Outside(boolean throughLink) implements Found {}

    /** Inside the project, something could not be read (permissions, a link loop). */
    record Unreadable(String why, boolean throughLink) implements Found {}
  }

  /**
   * Walks {@code name} (relative to {@code root}, or absolute under it) from {@code root}, which
   * must be a real path.
   */
  public static Found walk(Disk disk, Path root, String name) {
    Path named;
    try {
      named = Path.of(name);
    } catch (InvalidPathException e) {
      return new Found.Unreadable("it is not a path", false);
    }
    Deque<String> rest = new ArrayDeque<>();
    if (named.isAbsolute()) {
      if (!named.startsWith(root)) {
        return new Found.Outside(false);
      }
      named = root.relativize(named);
    }
    push(rest, named);
    Path current = root;
    int links = 0;
    while (!rest.isEmpty()) {
      String part = rest.removeFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (current.equals(root)) {
          return new Found.Outside(links > 0);
        }
        current = current.getParent();
        continue;
      }
      Path next = current.resolve(part);
      Kind kind;
      try {
        kind = disk.kind(next);
      } catch (NoSuchFileException e) {
        kind = Kind.MISSING;
      } catch (IOException e) {
        return new Found.Unreadable(String.valueOf(e.getMessage()), links > 0);
      }
      if (kind == Kind.MISSING) {
        return new Found.Missing(next, links > 0);
      }
      if (kind == Kind.LINK) {
        if (++links > MAX_LINKS) {
          return new Found.Unreadable("more than " + MAX_LINKS + " symbolic links", true);
        }
        Path target;
        try {
          target = disk.readLink(next);
        } catch (IOException e) {
          return new Found.Unreadable(String.valueOf(e.getMessage()), true);
        }
        if (target.isAbsolute()) {
          if (!target.startsWith(root)) {
            return new Found.Outside(true);
          }
          current = root;
          target = root.relativize(target);
        }
        push(rest, target);
        continue;
      }
      if (!rest.isEmpty() && kind != Kind.DIRECTORY) {
        return new Found.NotADirectory(next, links > 0);
      }
      current = next;
    }
    return new Found.Inside(current, links > 0);
  }

  private static void push(Deque<String> rest, Path path) {
    for (int i = path.getNameCount() - 1; i >= 0; i--) {
      rest.addFirst(path.getName(i).toString());
    }
  }
}
