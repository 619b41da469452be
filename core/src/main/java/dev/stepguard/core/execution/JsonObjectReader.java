package dev.stepguard.core.execution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Quantities;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads bytes that must be exactly one JSON object: strict UTF-8, bounded nesting, no duplicate
 * keys, nothing but whitespace after the object, numbers kept exactly as written (as {@code
 * BigDecimal}, never rounded to a double) and at most {@link #MAX_NUMBER_LENGTH} characters long.
 * Says where the first bad byte is, never quoting the text: it may hold a secret.
 */
public final class JsonObjectReader {
  /** Readers by limits: building a mapper costs far more than a run's parse, so keep a few. */
  private static final Map<List<Long>, JsonObjectReader> READERS = new ConcurrentHashMap<>();

  private static final int MAX_READERS = 32;

  /**
   * The longest number read, in characters: far beyond any real value (a double has 17 significant
   * digits), short enough that no number costs noticeable time or memory to parse.
   */
  public static final int MAX_NUMBER_LENGTH = 1000;

  private final ObjectMapper mapper;
  private final int maxDepth;
  private final long maxBytes;

  /** A reader for these limits, shared with every caller that uses the same ones. */
  public static JsonObjectReader of(int maxDepth, long maxBytes) {
    if (READERS.size() >= MAX_READERS) {
      READERS.clear();
    }
    return READERS.computeIfAbsent(
        List.of((long) maxDepth, maxBytes), key -> new JsonObjectReader(maxDepth, maxBytes));
  }

  JsonObjectReader(int maxDepth, long maxBytes) {
    this.maxDepth = maxDepth;
    this.maxBytes = maxBytes;
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(maxDepth)
                    .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxBytes))
                    .maxDocumentLength(maxBytes)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    this.mapper = Json.exactNumbers(new ObjectMapper(factory));
  }

  /** The result of reading: the object, or a sentence that says what is wrong and where. */
  public sealed interface Result {
    record Parsed(ObjectNode object) implements Result {}

    record Invalid(String problem) implements Result {}
  }

  public Result read(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    if (isBlank(bytes)) {
      return new Result.Invalid("is empty; it must be exactly one JSON object");
    }
    int badByte = firstMalformedUtf8(bytes);
    if (badByte >= 0) {
      return new Result.Invalid(
          String.format(
              "is not valid UTF-8: byte 0x%02X at offset %d", bytes[badByte] & 0xff, badByte));
    }
    try (JsonParser parser = mapper.createParser(bytes)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        return new Result.Invalid(
            "is not a JSON object: it starts with "
                + describe(first)
                + at(parser.currentTokenLocation()));
      }
      ObjectNode object;
      try {
        object = mapper.readTree(parser);
      } catch (StreamConstraintsException e) {
        if (!String.valueOf(e.getOriginalMessage()).startsWith("Number value length")) {
          throw e;
        }
        return new Result.Invalid(
            "has a number longer than "
                + MAX_NUMBER_LENGTH
                + " characters"
                + at(parser.currentTokenLocation())
                + "; send it as a string");
      } catch (NumberFormatException e) {
        return new Result.Invalid(
            "has a number too large or too small for any value (an exponent of 10 digits or more)"
                + at(parser.currentTokenLocation()));
      }
      JsonToken after;
      try {
        after = parser.nextToken();
      } catch (JsonProcessingException e) {
        return new Result.Invalid(
            "has text after the JSON object" + at(e.getLocation()) + "; print exactly one object");
      }
      if (after != null) {
        return new Result.Invalid(
            "has more after the JSON object: "
                + describe(after)
                + at(parser.currentTokenLocation())
                + "; print exactly one object");
      }
      return new Result.Parsed(object);
    } catch (StreamConstraintsException e) {
      return new Result.Invalid(exceeded(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      return new Result.Invalid(
          "is not valid JSON: "
              + JsonProblems.meaning(e.getOriginalMessage())
              + at(e.getLocation()));
    } catch (IOException e) {
      return new Result.Invalid("could not be read: " + e.getMessage());
    }
  }

  /** Which limit a document broke, in plain words rather than the parser's own names. */
  private String exceeded(String parserMessage) {
    String message = String.valueOf(parserMessage);
    if (message.contains("nesting depth")) {
      return "is nested deeper than " + maxDepth + " levels";
    }
    if (message.contains("Number value length")) {
      return "has a number longer than " + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " digits";
    }
    return "is larger than " + Quantities.bytesText(maxBytes);
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  /** The offset of the first byte that breaks strict UTF-8, or -1. */
  static int firstMalformedUtf8(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        return in.position();
      }
      if (result.isUnderflow()) {
        CoderResult flushed = decoder.flush(out);
        return flushed.isError() ? in.position() : -1;
      }
      out.clear();
    }
  }

  private static String describe(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    switch (token) {
      case START_ARRAY:
        return "an array '['";
      case START_OBJECT:
        return "another object '{'";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return "'" + token.asString() + "'";
    }
  }

  private static String at(JsonLocation location) {
    if (location == null) {
      return "";
    }
    return String.format(
        " at byte %d (line %d, column %d)",
        location.getByteOffset(), location.getLineNr(), location.getColumnNr());
  }
}
