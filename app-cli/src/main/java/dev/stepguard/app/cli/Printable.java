package dev.stepguard.app.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.VisibleText;
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
  private Printable() {}

  /**
   * JSON whose strings carry C1 and bidi characters (and DEL) as {@code \\u} escapes too, as
   * Jackson already does for the other controls: the same values for a program, nothing a terminal
   * acts on. Built on first use, so that guarding stderr does not start Jackson.
   */
  static ObjectWriter jsonWriter() {
    return Lazy.JSON;
  }

  /** Holds the JSON writer until it is first asked for. */
  private static final class Lazy {
    static final ObjectWriter JSON = Json.writer().with(new TerminalEscapes());
  }

  /** {@code value} as compact JSON that is safe on a terminal. */
  static String json(Object value) {
    try {
      return jsonWriter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code value} with {@code writer} to {@code out} as it goes, leaving {@code out} open:
   * an output of hundreds of megabytes is never held whole as text (as a string, and again as the
   * characters the writer encodes).
   */
  static void write(ObjectWriter writer, Object value, Writer out) {
    try {
      writer.without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code text} with every character a terminal would act on instead of show written as an escape.
   */
  static String safe(String text) {
    return VisibleText.safe(text);
  }

  /**
   * A writer for people's eyes only (never for JSON) that passes everything written to it through
   * {@link #safe}: stderr carries messages built from paths, script output and records.
   */
  static PrintWriter guarded(PrintWriter target) {
    return new PrintWriter(new Guard(target), true);
  }

  static boolean unsafe(char c) {
    return VisibleText.unsafe(c);
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
