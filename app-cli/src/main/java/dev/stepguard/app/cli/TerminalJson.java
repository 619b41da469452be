package dev.stepguard.app.cli;

import java.util.List;
import java.util.Map;

/**
 * Compact JSON of plain values (a record read by {@code HandOff.Answer.Ended#fields}) written
 * exactly as {@link Printable#json} writes the same JSON read into a Jackson tree, without loading
 * Jackson: no white space, numbers as their {@code toString}, and strings escaped as Jackson does
 * (a backslash before a quote or a backslash, the short escapes, a six-character unicode escape in
 * upper-case hex for other ASCII controls and DEL) plus a unicode escape in lower-case hex for
 * every other character a terminal would act on.
 */
final class TerminalJson {
  private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();
  private static final char[] LOWER_HEX = "0123456789abcdef".toCharArray();

  private TerminalJson() {}

  /** {@code value} as compact JSON that is safe on a terminal. */
  static String of(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value instanceof Map<?, ?> object) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> field : object.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(String.valueOf(field.getKey()), out);
        out.append(':');
        write(field.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof List<?> array) {
      out.append('[');
      for (int i = 0; i < array.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(array.get(i), out);
      }
      out.append(']');
    } else if (value instanceof String text) {
      string(text, out);
    } else {
      out.append(value);
    }
  }

  private static void string(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> character(c, out);
      }
    }
    out.append('"');
  }

  private static void character(char c, StringBuilder out) {
    if (c < 0x20 || c == 0x7f) {
      hex(c, UPPER_HEX, out);
    } else if (c > 0x7f && Printable.unsafe(c)) {
      hex(c, LOWER_HEX, out);
    } else {
      out.append(c);
    }
  }

  private static void hex(char c, char[] digits, StringBuilder out) {
    out.append("\\u");
    for (int shift = 12; shift >= 0; shift -= 4) {
      out.append(digits[(c >> shift) & 0xf]);
    }
  }
}
