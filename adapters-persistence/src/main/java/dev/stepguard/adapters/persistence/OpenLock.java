package dev.stepguard.adapters.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * An operating-system lock on a file beside the history, held by one stepguard process at a time
 * while it opens the history (or closes it as its host). H2's own lock-file protocol is safe for
 * one process at a time but not for many arriving at once: sixteen processes rewriting the same
 * {@code .lock.db} make each other wait for it to settle and give up ("Lock file recently
 * modified"). Taking turns here means H2 only ever sees one newcomer. The kernel releases the lock
 * when its process dies, so a killed stepguard never leaves it held.
 */
final class OpenLock implements AutoCloseable {
  /** One holder per JVM as well: a JVM may not lock the same file twice. */
  private static final ReentrantLock IN_THIS_JVM = new ReentrantLock();

  static final Duration POLL = Duration.ofMillis(10);
  static final Duration RECHECK = Duration.ofMillis(100);

  private final FileChannel channel;
  private final FileLock lock;

  private OpenLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Waits for the lock on {@code file} until {@code deadline}.
   *
   * @throws IOException if the file cannot be opened (a symbolic link is refused) or the lock is
   *     still held by someone else at the deadline
   */
  static OpenLock acquire(Path file, Instant deadline) throws IOException {
    return acquire(file, deadline, () -> false).orElseThrow();
  }

  /**
   * Waits for the lock on {@code file} until {@code deadline}, or until {@code needless} says that
   * the lock is no longer needed (asked about every {@link #RECHECK}), then empty.
   */
  static Optional<OpenLock> acquire(Path file, Instant deadline, BooleanSupplier needless)
      throws IOException {
    Objects.requireNonNull(file, "file");
    Waiting waiting = new Waiting(file, deadline, needless);
    try {
      while (!IN_THIS_JVM.tryLock(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
        if (waiting.needless()) {
          return Optional.empty();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + file, e);
    }
    FileChannel channel = null;
    boolean kept = false;
    try {
      channel = open(file);
      while (true) {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          kept = true;
          return Optional.of(new OpenLock(channel, lock));
        }
        if (waiting.needless()) {
          return Optional.empty();
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + file, e);
    } finally {
      if (!kept) {
        try {
          if (channel != null) {
            channel.close();
          }
        } finally {
          IN_THIS_JVM.unlock();
        }
      }
    }
  }

  /** The deadline and, every {@link #RECHECK}, whether the lock is still needed. */
  private static final class Waiting {
    private final Path file;
    private final Instant deadline;
    private final BooleanSupplier needless;
    private long nextCheck = System.nanoTime() + RECHECK.toNanos();

    Waiting(Path file, Instant deadline, BooleanSupplier needless) {
      this.file = file;
      this.deadline = deadline;
      this.needless = needless;
    }

    boolean needless() throws Busy {
      if (!Instant.now().isBefore(deadline)) {
        throw new Busy(file);
      }
      if (System.nanoTime() - nextCheck < 0) {
        return false;
      }
      nextCheck = System.nanoTime() + RECHECK.toNanos();
      return needless.getAsBoolean();
    }
  }

  private static FileChannel open(Path file) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    if (directory != null) {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return FileChannel.open(
        file,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
  }

  /** The lock was still held by another process at the deadline. */
  static final class Busy extends IOException {
    private static final long serialVersionUID = 1L;

    Busy(Path file) {
      super("another stepguard process held " + file + " until the deadline");
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      IN_THIS_JVM.unlock();
    }
  }
}
