package dev.stepguard.adapters.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Drains a child's pipes with byte caps, so that no amount of output can exhaust the host. */
final class StreamCaptures {
  private static final int CHUNK = 16 * 1024;

  private StreamCaptures() {}

  /**
   * Keeps the first {@code limit} bytes; calls {@code onOverflow} once if there are more. One
   * thread drains; others read the results only after the drain has returned.
   */
  static final class Head {
    /** The largest piece the output is kept in: what at most stands empty at the end. */
    private static final int LARGEST_PIECE = 4 << 20;

    private final long limit;
    private final Runnable onOverflow;
    private final List<byte[]> full = new ArrayList<>();
    private byte[] piece = new byte[CHUNK];
    private byte[] discarded;
    private int used;
    private long size;
    private boolean overflowed;
    private byte[] kept;

    Head(long limit, Runnable onOverflow) {
      this.limit = limit;
      this.onOverflow = onOverflow;
    }

    /** Where one read puts its bytes: what is left of the current piece, or a scratch array. */
    private record Window(byte[] into, int at, int room) {}

    /**
     * Reads {@code in} to its end into pieces that double up to {@link #LARGEST_PIECE}, never
     * copying what was read: a growing array would hold one and a half times the output while it
     * grows, and its unused end afterwards. Reads go on after an overflow and after {@link #bytes}
     * (a pipe that a leftover process keeps open), into a scratch array, and are dropped.
     */
    void drain(InputStream in) {
      try (in) {
        while (true) {
          Window window = window();
          int n = in.read(window.into(), window.at(), window.room());
          if (n < 0) {
            return;
          }
          if (keep(window, n)) {
            onOverflow.run();
          }
        }
      } catch (IOException e) {
        // The pipe closed under us (the tree was killed): what was read is what there is.
      }
    }

    private synchronized Window window() {
      if (overflowed || kept != null) {
        discarded = discarded == null ? new byte[CHUNK] : discarded;
        return new Window(discarded, 0, discarded.length);
      }
      return new Window(piece, used, piece.length - used);
    }

    /** Counts {@code n} bytes read into {@code window}; true when they are the first too many. */
    private synchronized boolean keep(Window window, int n) {
      if (window.into() != piece || overflowed || kept != null) {
        return false;
      }
      if (size + n > limit) {
        overflowed = true;
        return true;
      }
      used += n;
      size += n;
      if (used == piece.length) {
        full.add(piece);
        piece = new byte[Math.min(LARGEST_PIECE, piece.length * 2)];
        used = 0;
      }
      return false;
    }

    /**
     * What was kept, in one array; what the drain reads after the first call is dropped. The pieces
     * are let go once they are joined.
     */
    synchronized byte[] bytes() {
      if (kept == null) {
        kept = new byte[(int) size];
        int at = 0;
        for (byte[] each : full) {
          System.arraycopy(each, 0, kept, at, each.length);
          at += each.length;
        }
        System.arraycopy(piece, 0, kept, at, used);
        full.clear();
        piece = new byte[0];
      }
      return kept;
    }

    /** Whether more than the limit arrived. */
    synchronized boolean overflowed() {
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
