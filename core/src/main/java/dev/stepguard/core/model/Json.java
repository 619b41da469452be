package dev.stepguard.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON shape of stepguard's records: camelCase, ISO-8601 instants, nulls written out. */
public final class Json {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private Json() {}

  /** Writes values in the record shape; immutable, safe to share. */
  public static ObjectWriter writer() {
    return MAPPER.writer();
  }

  /** {@code value} in the record shape, as a tree to add to. */
  public static ObjectNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** Reads JSON into trees and values; immutable, safe to share. */
  public static ObjectReader reader() {
    return MAPPER.reader();
  }
}
