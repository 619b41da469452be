package dev.stepguard.adapters.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;
import org.h2.store.fs.FileUtils;

/**
 * H2's files on disk, each opened without following a symbolic link at its name ({@code
 * O_NOFOLLOW}): the database, its lock file (which H2's watchdog writes again whenever it changed,
 * for as long as the database is open), and its temporary and compacted files. A link put at one of
 * those names while a history is open (a {@code git pull} that brings a committed {@code
 * .stepguard/history.lock.db} link) makes H2's write fail instead of going to the file it names.
 * Databases are named {@code jdbc:h2:stepguard-nofollow:/path}.
 */
final class NoFollowFiles {
  static final String SCHEME = "stepguard-nofollow";

  private static final FilePath REGISTERED = register();

  private NoFollowFiles() {}

  private static FilePath register() {
    Disk files = new Disk();
    FilePath.register(files);
    return files;
  }

  /** Registers the scheme with H2 (once per JVM); H2 looks it up by the name's prefix. */
  static void ensureRegistered() {
    if (REGISTERED == null) {
      throw new IllegalStateException("H2's file scheme " + SCHEME + " is not registered");
    }
  }

  /** The H2 database name of the absolute file name {@code file}: the scheme, then the name. */
  static String name(String file) {
    return SCHEME + ":" + file;
  }

  /**
   * The scheme's paths. Public, with a public constructor, only because H2 makes one for each path
   * by reflection.
   */
  public static final class Disk extends FilePathWrapper {
    /** For H2, which makes one for each path it opens. */
    public Disk() {
      // nothing to set: H2 wraps the disk's path for the name given
    }

    @Override
    public String getScheme() {
      return SCHEME;
    }

    @Override
    public FileChannel open(String mode) throws IOException {
      Set<OpenOption> options = new HashSet<>(FileUtils.modeToOptions(mode));
      options.add(LinkOption.NOFOLLOW_LINKS);
      return FileChannel.open(path(), options);
    }

    @Override
    public OutputStream newOutputStream(boolean append) throws IOException {
      return Files.newOutputStream(
          path(),
          StandardOpenOption.CREATE,
          StandardOpenOption.WRITE,
          append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
          LinkOption.NOFOLLOW_LINKS);
    }

    @Override
    public InputStream newInputStream() throws IOException {
      return Files.newInputStream(path(), LinkOption.NOFOLLOW_LINKS);
    }

    private Path path() {
      return Path.of(getBase().name);
    }
  }
}
