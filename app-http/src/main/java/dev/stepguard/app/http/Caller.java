package dev.stepguard.app.http;

import java.util.Objects;

/**
 * Who is asking: the label of the token a request carried, and what that token may do.
 *
 * @param label the token's label, kept as {@code requestedBy} on the runs it starts
 * @param mayRun whether the token may start and cancel runs ({@code run} scope), or only read
 */
public record Caller(String label, boolean mayRun) {
  public Caller {
    Objects.requireNonNull(label, "label");
    if (label.isBlank()) {
      throw new IllegalArgumentException("a caller needs a label");
    }
  }
}
