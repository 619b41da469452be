package dev.stepguard.app.cli;

import picocli.CommandLine.Option;

/** {@code --isolation}, for the commands that run scripts. */
final class IsolationOption {
  @Option(
      names = "--isolation",
      paramLabel = "LEVEL",
      converter = IsolationChoice.Converter.class,
      description = "process, sandbox or auto (default auto or stepguard.yaml).")
  IsolationChoice isolation;

  /** {@code settings} with the flag applied, if it was given. */
  Settings applyTo(Settings settings) {
    return isolation == null ? settings : settings.withIsolation(isolation);
  }
}
