package dev.stepguard.adapters.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Drains a child's pipes with byte caps, so that no amount of output can exhaust the host. */
final class StreamCaptures {
  private static final int CHUNK = 16 * 1024;

  private StreamCaptures() {}

  /**
   * Keeps the first {@code limit} bytes; calls {@code onOverflow} once if there are more. One
   * thread drains; others read the results only after the drain has returned.
   */
  static final class Head {
    private final long limit;
    private final Runnable onOverflow;
    private byte[] buffer = new byte[CHUNK];
    private int size;
    private boolean overflowed;

    Head(long limit, Runnable onOverflow) {
      this.limit = limit;
      this.onOverflow = onOverflow;
    }

    void drain(InputStream in) {
      byte[] chunk = new byte[CHUNK];
      try (in) {
        int n;
        while ((n = in.read(chunk)) > 0) {
          if (overflowed) {
            continue;
          }
          if (size + (long) n > limit) {
            overflowed = true;
            onOverflow.run();
            continue;
          }
          if (size + n > buffer.length) {
            buffer =
                Arrays.copyOf(
                    buffer, (int) Math.min(limit, Math.max(buffer.length * 2L, size + n)));
          }
          System.arraycopy(chunk, 0, buffer, size, n);
          size += n;
        }
      } catch (IOException e) {
        // The pipe closed under us (the tree was killed): what was read is what there is.
      }
    }

    /** What was kept; call after {@link #drain} has returned. */
    byte[] bytes() {
      return Arrays.copyOf(buffer, size);
    }

    /** Whether more than the limit arrived; call after {@link #drain} has returned. */
    boolean overflowed() {
      return overflowed;
    }
  }

  /** Keeps the first {@code headCapacity} and the last {@code capacity} bytes, and counts all. */
  static final class Tail {
    private final int capacity;
    private final byte[] buffer;
    private final byte[] head;
    private int headSize;
    private int size;
    private long total;

    Tail(int capacity, int headCapacity) {
      this.capacity = capacity;
      this.buffer = new byte[capacity * 2];
      this.head = new byte[headCapacity];
    }

    void drain(InputStream in) {
      byte[] chunk = new byte[CHUNK];
      try (in) {
        int n;
        while ((n = in.read(chunk)) > 0) {
          append(chunk, n);
        }
      } catch (IOException e) {
        // As for Head: keep what was read.
      }
    }

    private synchronized void append(byte[] chunk, int n) {
      int toHead = Math.min(n, head.length - headSize);
      System.arraycopy(chunk, 0, head, headSize, toHead);
      headSize += toHead;
      total += n;
      int offset = 0;
      if (n > capacity) {
        offset = n - capacity;
        n = capacity;
      }
      if (size + n > buffer.length) {
        int keep = capacity - n;
        System.arraycopy(buffer, size - keep, buffer, 0, keep);
        size = keep;
      }
      System.arraycopy(chunk, offset, buffer, size, n);
      size += n;
    }

    synchronized byte[] bytes() {
      int from = Math.max(0, size - capacity);
      return Arrays.copyOfRange(buffer, from, size);
    }

    synchronized byte[] head() {
      return Arrays.copyOf(head, headSize);
    }

    /** Whether {@link #bytes} holds everything that was written. */
    synchronized boolean whole() {
      return total <= capacity;
    }

    synchronized long total() {
      return total;
    }
  }
}
