package dev.stepguard.app.cli;

import java.util.Locale;

/** What the user asked for: one isolation level, or {@code auto} to take the strongest that works. */
enum IsolationChoice {
  PROCESS,
  SANDBOX,
  AUTO;

  static IsolationChoice parse(String text) {
    try {
      return valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an isolation level; use process, sandbox or auto", e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
