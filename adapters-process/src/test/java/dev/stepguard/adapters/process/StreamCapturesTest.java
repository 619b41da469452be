package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamCapturesTest {
  private static byte[] numbered(int count) {
    byte[] bytes = new byte[count];
    for (int i = 0; i < count; i++) {
      bytes[i] = (byte) (i % 251);
    }
    return bytes;
  }

  @Test
  void headKeepsEverythingUpToTheLimit() {
    byte[] input = numbered(100_000);
    StreamCaptures.Head head = new StreamCaptures.Head(100_000, () -> {});

    head.drain(new ByteArrayInputStream(input));

    assertThat(head.bytes()).isEqualTo(input);
    assertThat(head.overflowed()).isFalse();
  }

  @Test
  void headKeepsALargeOutputReadInSmallPiecesWhole() {
    byte[] input = numbered(9_000_001);
    StreamCaptures.Head head = new StreamCaptures.Head(10_000_000, () -> {});

    head.drain(trickling(input, 1000));

    assertThat(head.bytes()).isEqualTo(input);
    assertThat(head.bytes()).isSameAs(head.bytes());
    assertThat(head.overflowed()).isFalse();
  }

  @Test
  void headKeepsWhatCameBeforeTheOverflowAndDrainsTheRestInFullReads() {
    byte[] input = numbered(3_000_000);
    AtomicInteger reads = new AtomicInteger();
    InputStream counted =
        new ByteArrayInputStream(input) {
          @Override
          public synchronized int read(byte[] into, int offset, int length) {
            reads.incrementAndGet();
            return super.read(into, offset, Math.min(length, 1000));
          }
        };
    // The read that overflows comes when 384 bytes of the first 16 KiB piece are left: what follows
    // is still read 1000 bytes at a time, not in what is left of that piece.
    StreamCaptures.Head head = new StreamCaptures.Head(16_383, () -> {});

    head.drain(counted);

    assertThat(head.overflowed()).isTrue();
    assertThat(head.bytes()).isEqualTo(java.util.Arrays.copyOf(input, 16_000));
    assertThat(reads).hasValueLessThan(3_000_000 / 1000 + 10);
  }

  @Test
  void headKeepsWhatItHadWhenAskedWhileAPipeStaysOpenAndDropsWhatComesAfter() throws Exception {
    BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    Semaphore waiting = new Semaphore(0);
    InputStream pipe =
        new InputStream() {
          private byte[] current = new byte[0];
          private int at;

          @Override
          public int read() {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] into, int offset, int length) throws IOException {
            if (at == current.length) {
              waiting.release();
              try {
                current = chunks.take();
              } catch (InterruptedException e) {
                throw new IOException(e);
              }
              at = 0;
              if (current.length == 0) {
                return -1;
              }
            }
            int n = Math.min(length, current.length - at);
            System.arraycopy(current, at, into, offset, n);
            at += n;
            return n;
          }
        };
    StreamCaptures.Head head = new StreamCaptures.Head(100_000_000, () -> {});
    ExecutorService drain = Executors.newSingleThreadExecutor();
    try {
      Future<?> drained = drain.submit(() -> head.drain(pipe));
      byte[] before = numbered(50_000);
      waiting.acquire();
      chunks.put(before);
      waiting.acquire(); // the drain read all of it and waits for more

      assertThat(head.bytes()).isEqualTo(before);
      chunks.put(numbered(9_000_000));
      chunks.put(new byte[0]);
      drained.get(30, TimeUnit.SECONDS);

      assertThat(head.bytes()).isEqualTo(before);
      assertThat(head.overflowed()).isFalse();
    } finally {
      drain.shutdownNow();
    }
  }

  /** {@code bytes} as a stream that gives at most {@code most} bytes a read, as a pipe does. */
  private static InputStream trickling(byte[] bytes, int most) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] into, int offset, int length) {
        return super.read(into, offset, Math.min(length, most));
      }
    };
  }

  @Test
  void headSignalsOverflowOnceAndKeepsDraining() {
    AtomicInteger overflows = new AtomicInteger();
    StreamCaptures.Head head = new StreamCaptures.Head(1000, overflows::incrementAndGet);
    ByteArrayInputStream input = new ByteArrayInputStream(numbered(200_000));

    head.drain(input);

    assertThat(head.overflowed()).isTrue();
    assertThat(overflows).hasValue(1);
    assertThat(head.bytes().length).isLessThanOrEqualTo(1000);
    assertThat(input.available()).isZero();
  }

  @Test
  void tailKeepsTheLastBytesAcrossManyChunks() {
    byte[] input = numbered(1_000_003);
    StreamCaptures.Tail tail = new StreamCaptures.Tail(5000, 16);

    tail.drain(new ByteArrayInputStream(input));

    byte[] kept = tail.bytes();
    assertThat(kept).hasSize(5000);
    assertThat(kept[4999]).isEqualTo(input[input.length - 1]);
    assertThat(kept[0]).isEqualTo(input[input.length - 5000]);
    assertThat(tail.total()).isEqualTo(1_000_003);
    assertThat(tail.head()).isEqualTo(java.util.Arrays.copyOf(input, 16));
    assertThat(tail.whole()).isFalse();
  }

  @Test
  void tailKeepsShortInputWhole() {
    StreamCaptures.Tail tail = new StreamCaptures.Tail(5000, 16);

    tail.drain(new ByteArrayInputStream(new byte[] {1, 2, 3}));

    assertThat(tail.bytes()).containsExactly(1, 2, 3);
    assertThat(tail.head()).containsExactly(1, 2, 3);
    assertThat(tail.whole()).isTrue();
  }

  @Test
  void capturesKeepWhatWasReadWhenThePipeBreaks() {
    InputStream breaking =
        new InputStream() {
          private int reads;

          @Override
          public int read() throws IOException {
            throw new IOException("closed");
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            if (reads++ == 0) {
              b[off] = 42;
              return 1;
            }
            throw new IOException("Stream closed");
          }
        };
    StreamCaptures.Tail tail = new StreamCaptures.Tail(10, 16);

    tail.drain(breaking);

    assertThat(tail.bytes()).containsExactly(42);
  }

  @Test
  void headKeepsWhatWasReadWhenThePipeBreaks() {
    StreamCaptures.Head head = new StreamCaptures.Head(10, () -> {});
    head.drain(
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("Stream closed");
          }
        });

    assertThat(head.bytes()).isEmpty();
  }
}
