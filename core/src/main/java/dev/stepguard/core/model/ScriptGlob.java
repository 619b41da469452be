package dev.stepguard.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pattern over script paths: {@code *} stands for any run of characters (slashes included),
 * {@code ?} for one character; everything else matches itself.
 */
public record ScriptGlob(String pattern) {
  private static final char LIKE_ESCAPE = '\\';

  /** The longest pattern: longer than any script path worth matching. */
  public static final int MAX_LENGTH = 256;

  /**
   * The most {@code *} a pattern may hold: matching backtracks over each one, and a few more over a
   * long name keep a database busy for minutes ({@code **} counts as one, which it means).
   */
  public static final int MAX_STARS = 3;

  public ScriptGlob {
    Objects.requireNonNull(pattern, "pattern");
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("a script pattern must not be empty");
    }
    pattern = pattern.replaceAll("\\*{2,}", "*");
    if (pattern.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a script pattern takes at most " + MAX_LENGTH + " characters");
    }
    if (pattern.chars().filter(c -> c == '*').count() > MAX_STARS) {
      throw new IllegalArgumentException(
          "a script pattern takes at most " + MAX_STARS + " '*'; narrow it with the other filters");
    }
  }

  public boolean matches(String script) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*') {
        regex.append(".*");
      } else if (c == '?') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(script).matches();
  }

  /** The same pattern for SQL {@code LIKE ... ESCAPE '\'}. */
  public String likePattern() {
    StringBuilder like = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '*') {
        like.append('%');
      } else if (c == '?') {
        like.append('_');
      } else {
        if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
          like.append(LIKE_ESCAPE);
        }
        like.append(c);
      }
    }
    return like.toString();
  }
}
