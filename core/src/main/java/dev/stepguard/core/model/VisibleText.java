package dev.stepguard.core.model;

/**
 * Text from requests, scripts and files made safe to show to people, the one place both entry
 * points take it from: control characters, DEL, C1 controls and invisible, bidirectional or
 * line-separating format characters are written as visible escapes ({@code \x1b}, {@code \u202e})
 * so that no value can move a terminal's cursor, reorder what people read, or start a line of its
 * own in a log.
 */
public final class VisibleText {
  private VisibleText() {}

  /** {@code text} for a terminal: newline and tab stay, every other character above is escaped. */
  public static String safe(String text) {
    return escape(text, false);
  }

  /**
   * {@code text} for one log line: as {@link #safe}, and newline and carriage return are escaped
   * too ({@code \x0a}), so that a value never starts a line of its own.
   */
  public static String oneLine(String text) {
    return escape(text, true);
  }

  /** Whether a terminal would act on {@code c} (or show nothing for it) rather than show it. */
  public static boolean unsafe(char c) {
    return unsafeCodePoint(c);
  }

  /**
   * Whether a terminal would act on code point {@code c} or show nothing for it: controls (C0 but
   * newline and tab, DEL, C1), line and paragraph separators, every format character (bidi marks
   * and overrides, zero-width characters, the soft hyphen, the Mongolian vowel separator, tag
   * characters, the byte order mark) and the Hangul fillers, which look like nothing at all.
   */
  public static boolean unsafeCodePoint(int c) {
    if (c == '\n' || c == '\t') {
      return false;
    }
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x2028
        || c == 0x2029
        || Character.getType(c) == Character.FORMAT
        || c == 0x115f
        || c == 0x1160
        || c == 0x3164
        || c == 0xffa0;
  }

  private static boolean unsafe(int c, boolean oneLine) {
    return unsafeCodePoint(c) || (oneLine && c == '\n');
  }

  private static String escape(String text, boolean oneLine) {
    if (text == null) {
      return "null";
    }
    int i = 0;
    while (i < text.length() && !unsafe(text.codePointAt(i), oneLine)) {
      i += Character.charCount(text.codePointAt(i));
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
    while (i < text.length()) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (!unsafe(c, oneLine)) {
        escaped.appendCodePoint(c);
      } else if (c <= 0xff) {
        escaped.append(String.format("\\x%02x", c));
      } else if (c <= 0xffff) {
        escaped.append(String.format("\\u%04x", c));
      } else {
        escaped.append(String.format("\\U%08x", c));
      }
    }
    return escaped.toString();
  }
}
