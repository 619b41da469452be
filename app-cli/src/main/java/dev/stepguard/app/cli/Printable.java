package dev.stepguard.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.stepguard.core.model.Json;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Text from scripts, records and files made safe for a terminal: control characters (except newline
 * and tab), DEL, C1 controls and invisible or bidi format characters are shown as visible escapes
 * ({@code \x1b}, {@code \u202e}) so that no script can move the cursor, retitle the window, erase a
 * line or reorder what people read.
 */
final class Printable {
  /**
   * JSON whose strings carry C1 and bidi characters (and DEL) as {@code \\u} escapes too, as
   * Jackson already does for the other controls: the same values for a program, nothing a terminal
   * acts on.
   */
  static final ObjectWriter JSON = Json.writer().with(new TerminalEscapes());

  private Printable() {}

  /** {@code value} as compact JSON that is safe on a terminal. */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code text} with every character a terminal would act on instead of show written as an escape.
   */
  static String safe(String text) {
    if (text == null) {
      return "null";
    }
    int i = 0;
    while (i < text.length() && !unsafe(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder safe = new StringBuilder(text.length() + 8).append(text, 0, i);
    for (; i < text.length(); i++) {
      append(safe, text.charAt(i));
    }
    return safe.toString();
  }

  /**
   * A writer for people's eyes only (never for JSON) that passes everything written to it through
   * {@link #safe}: stderr carries messages built from paths, script output and records.
   */
  static PrintWriter guarded(PrintWriter target) {
    return new PrintWriter(new Guard(target), true);
  }

  static boolean unsafe(char c) {
    if (c == '\n' || c == '\t') {
      return false;
    }
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x200b && c <= 0x200f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }

  private static void append(StringBuilder to, char c) {
    if (!unsafe(c)) {
      to.append(c);
    } else if (c <= 0xff) {
      to.append(String.format("\\x%02x", (int) c));
    } else {
      to.append(String.format("\\u%04x", (int) c));
    }
  }

  private static final class TerminalEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;

    private final int[] ascii;

    TerminalEscapes() {
      ascii = standardAsciiEscapesForJSON();
      ascii[0x7f] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii.clone();
    }

    @Override
    public SerializableString getEscapeSequence(int c) {
      return c <= 0xffff && unsafe((char) c)
          ? new SerializedString(String.format("\\u%04x", c))
          : null;
    }
  }

  private static final class Guard extends FilterWriter {
    Guard(Writer target) {
      super(target);
    }

    @Override
    public void write(int c) throws IOException {
      out.write(safe(String.valueOf((char) c)));
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      out.write(safe(new String(chars, offset, length)));
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      out.write(safe(text.substring(offset, offset + length)));
    }
  }
}
