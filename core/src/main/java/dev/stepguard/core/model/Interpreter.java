package dev.stepguard.core.model;

import java.util.Objects;

/** The Python interpreter that ran a script: its real path and its version. */
public record Interpreter(String path, String version) {
  public Interpreter {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(version, "version");
  }
}
