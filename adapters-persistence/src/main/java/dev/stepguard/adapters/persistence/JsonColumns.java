package dev.stepguard.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Values kept in text columns as JSON, written and read in the records' one JSON shape. */
final class JsonColumns {
  private JsonColumns() {}

  /**
   * {@code value} as JSON text; null stays null. Written as UTF-8 first, which escapes a lone half
   * of a surrogate pair ({@code \\ud800} in a script's output) where text would keep it raw and the
   * database would store it as {@code ?}, and which takes half the memory that characters do while
   * it is built (an output of hundreds of megabytes).
   */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return new String(Json.writer().writeValueAsBytes(value), StandardCharsets.UTF_8);
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
