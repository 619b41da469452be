package dev.stepguard.core.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.UUID;

/** The identity of one run: a random UUID. */
public record ExecutionId(@JsonValue String value) {
  public ExecutionId {
    Objects.requireNonNull(value, "value");
    UUID.fromString(value);
  }

  public static ExecutionId random() {
    return new ExecutionId(UUID.randomUUID().toString());
  }

  /** The first eight characters, enough to tell runs apart in a table. */
  public String shortForm() {
    return value.substring(0, 8);
  }

  @Override
  public String toString() {
    return value;
  }
}
