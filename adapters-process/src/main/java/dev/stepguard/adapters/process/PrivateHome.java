package dev.stepguard.adapters.process;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh 0700 home directory for one run, removed afterwards without following any link the script
 * may have left in it (walkFileTree does not follow links; a link is deleted, not its target). It
 * is removed only once every process of the run is gone.
 *
 * <p>The homes of one stepguard process are in a 0700 directory named after that process ({@code
 * stepguard-homes-NS-PID-TICKS-N}: its PID namespace, pid and start ticks), and so is the directory
 * of its warm interpreters' socket ({@code stepguard-w-NS-PID-TICKS-N}, {@link #processDirectory}).
 * A stepguard killed with SIGKILL cannot remove them; the next stepguard of the same user does,
 * when it recovers abandoned runs or first makes a home: only a directory (never a link) with such
 * a name, owned by this user, whose process is certainly gone (no process in this PID namespace has
 * that pid with those start ticks).
 */
final class PrivateHome implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PrivateHome.class);

  private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

  private static final String PREFIX = "stepguard-";

  /**
   * What a directory of one stepguard process holds: its runs' homes, or a Unix socket ({@code w},
   * short: a socket's whole path must fit in 107 bytes, and the temporary directory may be deep).
   */
  enum Kind {
    HOMES("homes"),
    WARM("w");

    private final String tag;

    Kind(String tag) {
      this.tag = tag;
    }

    String prefix() {
      return PREFIX + tag + "-";
    }
  }

  /** Draws the number that ends a directory's name (another user cannot take them all first). */
  private static final SecureRandom NUMBERS = new SecureRandom();

  /**
   * The name of a directory of one stepguard process: its kind, PID namespace, pid, start ticks, a
   * random number below a million (short: see {@link Kind}).
   */
  private static final Pattern NAME =
      Pattern.compile(Pattern.quote(PREFIX) + "(?:homes|w)-(\\d+)-(\\d+)-(\\d+)-\\d+");

  /** The 0700 directory holding the homes of the runs under way; none while no run is. */
  private static Path parent;

  private static int open;

  private final Path path;
  private boolean closed;

  private PrivateHome(Path path) {
    this.path = path;
  }

  /**
   * A new home named after the run, in a 0700 directory of this stepguard process that is removed
   * when its last run's home is.
   */
  static synchronized PrivateHome create(String runId) throws IOException {
    if (parent == null) {
      removeAbandoned(temporaryDirectory());
      parent = processDirectory(Kind.HOMES);
    }
    open++;
    try {
      return new PrivateHome(Files.createDirectory(parent.resolve(runId), OWNER_ONLY));
    } catch (IOException e) {
      release();
      throw e;
    }
  }

  Path path() {
    return path;
  }

  /**
   * A new 0700 directory of this stepguard process in the JVM's temporary directory, named so that
   * the next stepguard removes it if this one is killed before it can.
   */
  static Path processDirectory(Kind kind) throws IOException {
    long self = ProcessHandle.current().pid();
    String name =
        kind.prefix()
            + pidNamespace()
            + "-"
            + self
            + "-"
            + ProcessIdentities.startTicks(self).orElse(0)
            + "-";
    for (int attempt = 1; ; attempt++) {
      try {
        return Files.createDirectory(
            temporaryDirectory().resolve(name + NUMBERS.nextInt(1_000_000)), OWNER_ONLY);
      } catch (FileAlreadyExistsException e) {
        if (attempt == 100) {
          throw e;
        }
      }
    }
  }

  /** Where the homes are made: the JVM's temporary directory. */
  static Path temporaryDirectory() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /**
   * Removes from {@code temporary} the directories (homes, warm sockets) that stepguard processes
   * of this user left behind when they were killed, never one whose process may still run.
   *
   * @return how many were removed
   */
  static synchronized int removeAbandoned(Path temporary) {
    OptionalLong user = Users.effectiveUid();
    long namespace = pidNamespace();
    if (user.isEmpty() || namespace == 0) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(temporary, PREFIX + "*")) {
      for (Path entry : entries) {
        if (!entry.equals(parent) && abandoned(entry, user.getAsLong(), namespace)) {
          removeTree(entry);
          removed++;
        }
      }
    } catch (IOException | DirectoryIteratorException e) {
      LOG.debug("could not look for abandoned run homes in {}: {}", temporary, e.toString());
    }
    return removed;
  }

  /** Whether {@code entry} is a directory of homes of this user whose process is gone. */
  private static boolean abandoned(Path entry, long user, long namespace) {
    Matcher name = NAME.matcher(String.valueOf(entry.getFileName()));
    if (!name.matches()) {
      return false;
    }
    try {
      if (Long.parseLong(name.group(1)) != namespace) {
        return false;
      }
      Map<String, Object> attributes =
          Files.readAttributes(entry, "unix:uid,isDirectory", LinkOption.NOFOLLOW_LINKS);
      if (!Boolean.TRUE.equals(attributes.get("isDirectory"))
          || ((Number) attributes.get("uid")).longValue() != user) {
        return false;
      }
      long pid = Long.parseLong(name.group(2));
      long ticks = Long.parseLong(name.group(3));
      OptionalLong now = ProcessIdentities.startTicks(pid);
      return now.isEmpty()
          ? ProcessHandle.of(pid).isEmpty()
          : ticks != 0 && now.getAsLong() != ticks;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The inode of this process's PID namespace, or 0 where it cannot be read. */
  static long pidNamespace() {
    try {
      String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
      Matcher inode = Pattern.compile("pid:\\[(\\d+)\\]").matcher(link);
      return inode.matches() ? Long.parseLong(inode.group(1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      remove();
    } finally {
      release();
    }
  }

  private static synchronized void release() {
    open--;
    if (open == 0 && parent != null) {
      try {
        Files.delete(parent);
      } catch (IOException e) {
        LOG.warn("could not remove the directory of run homes {}: {}", parent, e.toString());
      }
      parent = null;
    }
  }

  private void remove() {
    try {
      Files.delete(path);
      return;
    } catch (IOException e) {
      // Not empty, or already gone: walk it below.
    }
    removeTree(path);
  }

  /**
   * Removes {@code path} and everything in it; a link is removed, never followed. What another
   * stepguard removed first is not missed.
   */
  private static void removeTree(Path path) {
    try {
      Files.walkFileTree(
          path,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.deleteIfExists(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("could not remove the run's home directory {}: {}", path, e.toString());
    }
  }
}
