package dev.stepguard.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.stepguard.core.model.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Values kept in text columns as JSON, written and read in the records' one JSON shape. */
final class JsonColumns {
  private JsonColumns() {}

  /**
   * UTF-8 with characters beyond the Basic Multilingual Plane as their four bytes (not as two
   * {@code \\u} escapes of 6 bytes each), and a lone half of a surrogate pair, which has no UTF-8,
   * as its escape.
   */
  private static final ObjectWriter UTF_8 =
      Json.writer().with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);

  /**
   * {@code value} as JSON text; null stays null. Written as UTF-8 first: text written as characters
   * would keep a lone half of a surrogate pair ({@code \\ud800} in a script's output) raw, and the
   * database would store it as {@code ?}; and for ASCII text the bytes take half the memory that
   * characters do while they are built (an output of hundreds of megabytes).
   */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return new String(UTF_8.writeValueAsBytes(value), StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON tree in {@code text}; null stays null. */
  static JsonNode tree(String text) {
    return text == null ? null : read(text, new TypeReference<JsonNode>() {});
  }

  static <T> T read(String text, TypeReference<T> type) {
    try {
      return Json.reader().forType(type).readValue(text);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
