package dev.stepguard.core.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How strongly a run is separated from the host: a plain child process, or a bubblewrap sandbox.
 */
public enum Isolation {
  PROCESS,
  SANDBOX;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
