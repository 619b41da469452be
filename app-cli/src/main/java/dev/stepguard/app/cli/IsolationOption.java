package dev.stepguard.app.cli;

import dev.stepguard.composition.IsolationChoice;
import dev.stepguard.composition.Settings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --isolation}, for the commands that run scripts. */
final class IsolationOption {
  @Option(
      names = "--isolation",
      paramLabel = "LEVEL",
      converter = IsolationOption.Converter.class,
      description = "process, sandbox or auto (default auto or stepguard.yaml).")
  IsolationChoice isolation;

  /** {@code settings} with the flag applied, if it was given. */
  Settings applyTo(Settings settings) {
    return isolation == null ? settings : settings.withIsolation(isolation);
  }

  /** Lets picocli report a wrong level as a usage error. */
  static final class Converter implements ITypeConverter<IsolationChoice> {
    @Override
    public IsolationChoice convert(String value) {
      try {
        return IsolationChoice.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
