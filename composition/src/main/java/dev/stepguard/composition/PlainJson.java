package dev.stepguard.composition;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON (RFC 8259) read into plain JDK values, without Jackson, for the command line's side
 * of a hand-off: it reads the record a server sends back without loading Jackson. An object is a
 * {@link LinkedHashMap} in the order written (a repeated name keeps its first place and its last
 * value, as a Jackson tree does), an array an {@link ArrayList}, an integer a {@link BigInteger}, a
 * number with a fraction or an exponent a {@link BigDecimal} with its digits and scale (as {@code
 * Json.reader()} reads it), {@code true} and {@code false} a {@link Boolean}, {@code null} null.
 */
final class PlainJson {
  /** Jackson's default nesting limit: deeper text is refused there too. */
  private static final int MAX_DEPTH = 1000;

  private final String text;
  private int at;

  private PlainJson(String text) {
    this.text = text;
  }

  /**
   * The object {@code text} holds, with nothing but white space around it.
   *
   * @throws IllegalArgumentException if it is not exactly one JSON object
   */
  static Map<String, Object> object(String text) {
    PlainJson reader = new PlainJson(text);
    reader.blank();
    if (!reader.next('{')) {
      throw reader.malformed("an object was expected");
    }
    Map<String, Object> object = reader.object(1);
    reader.blank();
    if (reader.at != text.length()) {
      throw reader.malformed("text follows the object");
    }
    return object;
  }

  private Object value(int depth) {
    if (at >= text.length()) {
      throw malformed("the text ends where a value was expected");
    }
    char c = text.charAt(at);
    if (c == '{' || c == '[') {
      if (depth >= MAX_DEPTH) {
        throw malformed("nested deeper than " + MAX_DEPTH);
      }
      at++;
      return c == '{' ? object(depth + 1) : array(depth + 1);
    }
    if (c == '"') {
      return string();
    }
    if (literal("true")) {
      return Boolean.TRUE;
    }
    if (literal("false")) {
      return Boolean.FALSE;
    }
    if (literal("null")) {
      return null;
    }
    return number();
  }

  /** An object whose opening brace was read. */
  private Map<String, Object> object(int depth) {
    Map<String, Object> fields = new LinkedHashMap<>();
    blank();
    if (next('}')) {
      return fields;
    }
    do {
      blank();
      if (at >= text.length() || text.charAt(at) != '"') {
        throw malformed("a name in quotes was expected");
      }
      String name = string();
      blank();
      if (!next(':')) {
        throw malformed("':' was expected");
      }
      blank();
      fields.put(name, value(depth));
      blank();
    } while (next(','));
    if (!next('}')) {
      throw malformed("',' or '}' was expected");
    }
    return fields;
  }

  /** An array whose opening bracket was read. */
  private List<Object> array(int depth) {
    List<Object> items = new ArrayList<>();
    blank();
    if (next(']')) {
      return items;
    }
    do {
      blank();
      items.add(value(depth));
      blank();
    } while (next(','));
    if (!next(']')) {
      throw malformed("',' or ']' was expected");
    }
    return items;
  }

  private String string() {
    at++;
    StringBuilder value = new StringBuilder();
    while (true) {
      if (at >= text.length()) {
        throw malformed("a string is not closed");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return value.toString();
      }
      if (c < 0x20) {
        throw malformed("a control character in a string");
      }
      value.append(c == '\\' ? escaped() : c);
    }
  }

  private char escaped() {
    if (at >= text.length()) {
      throw malformed("a string is not closed");
    }
    char c = text.charAt(at++);
    switch (c) {
      case '"':
      case '\\':
      case '/':
        return c;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u':
        if (at + 4 > text.length()) {
          throw malformed("a \\u escape is cut short");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
          int digit = Character.digit(text.charAt(at++), 16);
          if (digit < 0) {
            throw malformed("a \\u escape has a character that is no hex digit");
          }
          code = code * 16 + digit;
        }
        return (char) code;
      default:
        throw malformed("an unknown escape");
    }
  }

  private Object number() {
    int start = at;
    next('-');
    if (next('0')) {
      if (at < text.length() && isDigit(text.charAt(at))) {
        throw malformed("a number with a leading zero");
      }
    } else {
      digits();
    }
    boolean integer = true;
    if (next('.')) {
      integer = false;
      digits();
    }
    if (next('e') || next('E')) {
      integer = false;
      if (!next('+')) {
        next('-');
      }
      digits();
    }
    String number = text.substring(start, at);
    return integer ? new BigInteger(number) : new BigDecimal(number);
  }

  private void digits() {
    int start = at;
    while (at < text.length() && isDigit(text.charAt(at))) {
      at++;
    }
    if (at == start) {
      throw malformed("a digit was expected");
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private boolean literal(String word) {
    if (text.startsWith(word, at)) {
      at += word.length();
      return true;
    }
    return false;
  }

  private boolean next(char expected) {
    if (at < text.length() && text.charAt(at) == expected) {
      at++;
      return true;
    }
    return false;
  }

  private void blank() {
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      at++;
    }
  }

  private IllegalArgumentException malformed(String what) {
    return new IllegalArgumentException("malformed JSON at offset " + at + ": " + what);
  }
}
