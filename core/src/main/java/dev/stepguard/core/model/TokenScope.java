package dev.stepguard.core.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What an API token may do: {@code run} starts and cancels runs and reads; {@code read} reads. */
public enum TokenScope {
  RUN,
  READ;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether a token of this scope may start and cancel runs. */
  public boolean mayRun() {
    return this == RUN;
  }

  /**
   * The scope named {@code label} ({@code run} or {@code read}).
   *
   * @throws IllegalArgumentException for any other label
   */
  public static TokenScope parse(String label) {
    for (TokenScope scope : values()) {
      if (scope.label().equals(label)) {
        return scope;
      }
    }
    throw new IllegalArgumentException("'" + label + "' is not a token scope: use 'run' or 'read'");
  }
}
