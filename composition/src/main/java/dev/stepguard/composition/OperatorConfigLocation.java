package dev.stepguard.composition;

import java.util.Objects;
import java.util.Optional;

/** Where this command's operator config is: read from its environment once, at the start. */
record OperatorConfigLocation(Optional<java.nio.file.Path> file) {
  OperatorConfigLocation {
    Objects.requireNonNull(file, "file");
  }

  OperatorConfig load() {
    return OperatorConfig.load(file);
  }
}
