package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a file named on the command line in bounded time and memory. */
class BoundedFileTest {
  @TempDir Path directory;

  @Test
  void readsARegularFileThroughALinkUpToTheLimit() throws Exception {
    Path file = Files.writeString(directory.resolve("in.json"), "{}");
    Path link = Files.createSymbolicLink(directory.resolve("link.json"), file);

    BoundedFile.Read read = BoundedFile.read(link, 2, "the limit");

    assertThat(((BoundedFile.Read.Content) read).bytes())
        .isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    assertThat(BoundedFile.read(file, 1, "the limit"))
        .isEqualTo(new BoundedFile.Read.Refused("is larger than 1B, the limit"));
    assertThat(BoundedFile.read(directory.resolve("absent"), 1, "the limit"))
        .isEqualTo(new BoundedFile.Read.Refused("does not exist"));
  }

  @Test
  void givesUpOnAFifoSwappedInAfterTheCheckAtTheDeadline() throws Exception {
    Path fifo = directory.resolve("swapped.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    BoundedFile.Read read =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () -> BoundedFile.opened(fifo, 16, "the limit", Duration.ofMillis(200)));

    assertThat(read)
        .isEqualTo(
            new BoundedFile.Read.Refused(
                "could not be read within 200ms; was it replaced by a FIFO or a device?"));
    try (OutputStream unblockTheAbandonedReader = Files.newOutputStream(fifo)) {
      unblockTheAbandonedReader.flush();
    }
  }

  @Test
  void readsAtMostOneBytePastTheLimitOfADeviceSwappedIn() {
    BoundedFile.Read read =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                BoundedFile.opened(Path.of("/dev/zero"), 1024, "the limit", Duration.ofSeconds(5)));

    assertThat(read).isEqualTo(new BoundedFile.Read.Refused("is larger than 1KiB, the limit"));
  }
}
