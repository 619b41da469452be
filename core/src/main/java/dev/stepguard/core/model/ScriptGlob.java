package dev.stepguard.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pattern over script paths: {@code *} stands for any run of characters (slashes included),
 * {@code ?} for one character; everything else matches itself.
 */
public record ScriptGlob(String pattern) {
  private static final char LIKE_ESCAPE = '\\';

  public ScriptGlob {
    Objects.requireNonNull(pattern, "pattern");
    if (pattern.isEmpty()) {
      throw new IllegalArgumentException("a script pattern must not be empty");
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
