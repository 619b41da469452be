package dev.stepguard.app.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.CharBuffer;

/**
 * Writes each half of a surrogate pair that has no other half as its escape ({@code \ud800}), which
 * is what it means in JSON and what people are shown: a lone half has no UTF-8, and the encoder of
 * stdout would write it as {@code ?}, so that a script's output {@code "\ud800"} was printed as a
 * different value. Pairs pass as they are, even when a pair is split between two writes; a high
 * half still waiting for its other half is written as its escape at a flush.
 */
final class LoneSurrogates extends FilterWriter {
  /** A high half written last, waiting for the low half; 0 for none. */
  private char high;

  LoneSurrogates(Writer out) {
    super(out);
  }

  @Override
  public void write(int c) throws IOException {
    synchronized (lock) {
      put((char) c);
    }
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    synchronized (lock) {
      if (high == 0 && !hasSurrogate(CharBuffer.wrap(chars), offset, length)) {
        out.write(chars, offset, length);
        return;
      }
      for (int i = offset; i < offset + length; i++) {
        put(chars[i]);
      }
    }
  }

  @Override
  public void write(String text, int offset, int length) throws IOException {
    synchronized (lock) {
      if (high == 0 && !hasSurrogate(text, offset, length)) {
        out.write(text, offset, length);
        return;
      }
      for (int i = offset; i < offset + length; i++) {
        put(text.charAt(i));
      }
    }
  }

  @Override
  public void flush() throws IOException {
    synchronized (lock) {
      endPending();
      out.flush();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (lock) {
      endPending();
      out.close();
    }
  }

  private void put(char c) throws IOException {
    if (high != 0) {
      char waiting = high;
      high = 0;
      if (Character.isLowSurrogate(c)) {
        out.write(waiting);
        out.write(c);
        return;
      }
      escape(waiting);
    }
    if (Character.isHighSurrogate(c)) {
      high = c;
    } else if (Character.isLowSurrogate(c)) {
      escape(c);
    } else {
      out.write(c);
    }
  }

  private void endPending() throws IOException {
    if (high != 0) {
      escape(high);
      high = 0;
    }
  }

  private void escape(char c) throws IOException {
    out.write(String.format("\\u%04x", (int) c));
  }

  private static boolean hasSurrogate(CharSequence text, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
