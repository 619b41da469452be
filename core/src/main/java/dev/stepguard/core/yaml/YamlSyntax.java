package dev.stepguard.core.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What stops a YAML file of stepguard's (stepguard.yaml, the operator config, a workflow) from
 * being read at all, said in a line with its place instead of in the parser's words: bytes that are
 * not UTF-8, a YAML syntax error, a second document. Shared so that every file says it alike.
 */
public final class YamlSyntax {
  /** Far deeper than any real file of stepguard's; a deeper one is refused where it gets so. */
  public static final int MAX_DEPTH = 100;

  private static final YAMLFactory YAML = new YAMLFactory();
  private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

  private YamlSyntax() {}

  /** A problem at a place in the file, 1-based. */
  public record Problem(int line, int column, String message) {}

  /** The first reason {@code bytes} are not one readable YAML document, or empty when they are. */
  public static Optional<Problem> check(byte[] bytes) {
    Optional<Problem> encoding = notUtf8(bytes);
    if (encoding.isPresent()) {
      return encoding;
    }
    try (JsonParser parser = YAML.createParser(bytes)) {
      int depth = 0;
      boolean rootDone = false;
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (rootDone) {
          JsonLocation at = parser.currentTokenLocation();
          return Optional.of(
              new Problem(
                  Math.max(1, at.getLineNr()),
                  Math.max(1, at.getColumnNr()),
                  "a second YAML document (after '---'); the file must hold exactly one"));
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
          depth++;
          if (depth > MAX_DEPTH) {
            JsonLocation at = parser.currentTokenLocation();
            return Optional.of(
                new Problem(
                    Math.max(1, at.getLineNr()),
                    Math.max(1, at.getColumnNr()),
                    "nested deeper than " + MAX_DEPTH + " levels; no stepguard file needs that"));
          }
        } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
          depth--;
        }
        rootDone = depth == 0 && token != JsonToken.FIELD_NAME;
      }
      return Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.of(of(e));
    } catch (IOException e) {
      return Optional.of(new Problem(1, 1, "cannot be read: " + e.getMessage()));
    }
  }

  /** Where {@code bytes} stop being UTF-8 text, naming the byte, or empty when they are UTF-8. */
  public static Optional<Problem> notUtf8(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      return Optional.empty();
    }
    out.flip();
    int line = 1;
    int column = 1;
    while (out.hasRemaining()) {
      if (out.get() == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return Optional.of(
        new Problem(
            line,
            column,
            String.format(
                Locale.ROOT, "not UTF-8 text (byte 0x%02x)", bytes[in.position()] & 0xff)));
  }

  /**
   * A YAML syntax error in a line: the parser's last sentence at the place it names, a tab and an
   * unclosed '[' or '{' said plainly.
   */
  public static Problem of(JsonProcessingException e) {
    String text = String.valueOf(e.getOriginalMessage());
    JsonLocation location = e.getLocation();
    int line = location == null ? 1 : Math.max(1, location.getLineNr());
    int column = location == null ? 1 : Math.max(1, location.getColumnNr());
    Matcher mark = MARK.matcher(text);
    int firstLine = -1;
    int firstColumn = -1;
    while (mark.find()) {
      line = Integer.parseInt(mark.group(1));
      column = Integer.parseInt(mark.group(2));
      if (firstLine < 0) {
        firstLine = line;
        firstColumn = column;
      }
    }
    List<String> said =
        text.lines()
            .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
            .map(String::strip)
            .toList();
    String problem = said.isEmpty() ? text.strip() : said.get(said.size() - 1);
    boolean atEnd = problem.contains("<stream end>");
    if (problem.contains("(TAB)")) {
      problem = "a tab, which YAML does not take for indentation; indent with spaces";
    } else if (atEnd && text.startsWith("while parsing a flow sequence")) {
      problem = "this '[' is never closed with ']'";
      line = firstLine;
      column = firstColumn;
    } else if (atEnd && text.startsWith("while parsing a flow mapping")) {
      problem = "this '{' is never closed with '}'";
      line = firstLine;
      column = firstColumn;
    } else if (atEnd) {
      problem = "the file ends where a value was expected (is a '[' or '{' left open?)";
    } else {
      problem = problem.replace("<stream end>", "the end of the file");
    }
    return new Problem(Math.max(1, line), Math.max(1, column), "not valid YAML: " + problem);
  }
}
