package dev.stepguard.adapters.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.io.UncheckedIOException;

/** Values kept in text columns as JSON, written and read in the records' one JSON shape. */
final class JsonColumns {
  private JsonColumns() {}

  /** {@code value} as JSON text; null stays null. */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return Json.writer().writeValueAsString(value);
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
