package dev.stepguard.app.cli;

import dev.stepguard.core.model.Quantities;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a file named on the command line in bounded time and memory: only a regular file, at most a
 * given size. A FIFO or device swapped in after the check cannot hang the caller: the open and the
 * read happen on a daemon thread that is given up after a deadline.
 */
final class BoundedFile {
  /** How long opening and reading may take: generous for a disk, far short of "hung". */
  static final Duration DEADLINE = Duration.ofSeconds(10);

  private BoundedFile() {}

  /** The bytes of a file, or why it was not read. */
  sealed interface Read {
    /** The whole content, at most the size asked for. */
    record Content(byte[] bytes) implements Read {}

    /** Why the file was refused: a phrase that follows the file's name. */
    record Refused(String reason) implements Read {}
  }

  /**
   * The file's content.
   *
   * @param limit the name of the cap, as the refusal names it ({@code the input limit})
   */
  static Read read(Path file, long maxBytes, String limit) {
    return read(file, maxBytes, limit, DEADLINE);
  }

  static Read read(Path file, long maxBytes, String limit, Duration deadline) {
    Path real;
    BasicFileAttributes attributes;
    try {
      real = file.toRealPath();
      attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return new Read.Refused("does not exist");
    } catch (IOException e) {
      return new Read.Refused("cannot be read: " + e.getMessage());
    }
    if (attributes.isDirectory()) {
      return new Read.Refused("is a directory, not a file");
    }
    if (!attributes.isRegularFile()) {
      return new Read.Refused(
          "is not a regular file (a FIFO or a device such as /dev/zero may never end)");
    }
    if (attributes.size() > maxBytes) {
      return tooLarge(maxBytes, limit);
    }
    return opened(real, maxBytes, limit, deadline);
  }

  /**
   * Opens without following a link and reads at most one byte more than allowed, giving up after
   * {@code deadline}; package-private for the test of a FIFO swapped in after the check.
   */
  static Read opened(Path real, long maxBytes, String limit, Duration deadline) {
    ExecutorService reader =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "stepguard-bounded-read");
              thread.setDaemon(true);
              return thread;
            });
    Future<byte[]> content =
        reader.submit(
            () -> {
              try (InputStream in =
                  Channels.newInputStream(
                      Files.newByteChannel(
                          real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
                return in.readNBytes(Math.toIntExact(maxBytes + 1));
              }
            });
    try {
      byte[] bytes = content.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
      return bytes.length > maxBytes ? tooLarge(maxBytes, limit) : new Read.Content(bytes);
    } catch (TimeoutException e) {
      content.cancel(true);
      return new Read.Refused(
          "could not be read within "
              + Quantities.text(deadline)
              + "; was it replaced by a FIFO or a device?");
    } catch (ExecutionException e) {
      return new Read.Refused("cannot be read: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Read.Refused("was not read: stepguard was interrupted");
    } finally {
      reader.shutdownNow();
    }
  }

  private static Read tooLarge(long maxBytes, String limit) {
    return new Read.Refused("is larger than " + Quantities.bytesText(maxBytes) + ", " + limit);
  }
}
