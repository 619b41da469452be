package dev.stepguard.app.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/**
 * What the user asked for: one isolation level, or {@code auto} to take the strongest that works.
 */
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

  /** Lets picocli report a wrong level as a usage error. */
  static final class Converter implements ITypeConverter<IsolationChoice> {
    @Override
    public IsolationChoice convert(String value) {
      return parse(value);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
