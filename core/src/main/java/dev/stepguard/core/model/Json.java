package dev.stepguard.core.model;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON shape of stepguard's records: camelCase, ISO-8601 instants, nulls written out. */
public final class Json {
  private static final ObjectMapper MAPPER =
      exactNumbers(
          new ObjectMapper()
              .registerModule(new JavaTimeModule())
              .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));

  private Json() {}

  /**
   * {@code mapper} reading every number of a tree exactly as written: integers of any size, and
   * decimals as {@code BigDecimal} with their digits and scale ({@code 1.50} stays {@code 1.50},
   * {@code 1e999999999} stays that number instead of becoming {@code Infinity}), written back in
   * scientific notation where they were large, never expanded to their plain digits.
   */
  public static ObjectMapper exactNumbers(ObjectMapper mapper) {
    return mapper
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
        .disable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
  }

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
