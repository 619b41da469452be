package dev.stepguard.core.execution;

import java.util.List;

/**
 * Says what a JSON parse error means in fixed words: the parser's own message quotes the text it
 * choked on, which may be a secret, so it never reaches a record; the offset says where instead.
 */
final class JsonProblems {
  private record Meaning(String clue, String words) {}

  private static final List<Meaning> MEANINGS =
      List.of(
          new Meaning("Duplicate field", "a key appears twice"),
          new Meaning("end-of-input", "it ends before the object is complete"),
          new Meaning("Unrecognized token", "a bare word where a value belongs (quote strings)"),
          new Meaning("Non-standard token", "a value JSON does not allow (NaN, Infinity)"),
          new Meaning("Illegal unquoted character", "a control character not escaped in a string"),
          new Meaning("character escape", "a backslash escape JSON does not allow"),
          new Meaning("numeric value", "a malformed number"),
          new Meaning("close marker", "a closing bracket that does not match"),
          new Meaning("start field name", "a key not in double quotes, or a trailing comma"),
          new Meaning("colon", "a key not followed by ':'"),
          new Meaning("comma", "a missing ',' between entries"));

  private JsonProblems() {}

  /** What {@code parserMessage} means, without a word of the text that was parsed. */
  static String meaning(String parserMessage) {
    String message = parserMessage == null ? "" : parserMessage;
    return MEANINGS.stream()
        .filter(meaning -> message.contains(meaning.clue()))
        .map(Meaning::words)
        .findFirst()
        .orElse("an unexpected character");
  }
}
