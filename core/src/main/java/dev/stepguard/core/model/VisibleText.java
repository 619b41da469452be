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
    if (c == '\n' || c == '\t') {
      return false;
    }
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == 0x061c
        || (c >= 0x200b && c <= 0x200f)
        || (c >= 0x2028 && c <= 0x202e)
        || (c >= 0x2060 && c <= 0x2064)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0xfeff;
  }

  private static boolean unsafe(char c, boolean oneLine) {
    return unsafe(c) || (oneLine && c == '\n');
  }

  private static String escape(String text, boolean oneLine) {
    if (text == null) {
      return "null";
    }
    int i = 0;
    while (i < text.length() && !unsafe(text.charAt(i), oneLine)) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!unsafe(c, oneLine)) {
        escaped.append(c);
      } else if (c <= 0xff) {
        escaped.append(String.format("\\x%02x", (int) c));
      } else {
        escaped.append(String.format("\\u%04x", (int) c));
      }
    }
    return escaped.toString();
  }
}
