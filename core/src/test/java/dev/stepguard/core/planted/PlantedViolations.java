package dev.stepguard.core.planted;

import java.io.IOException;

/** Breaks a core rule on purpose, so that ArchitectureTest can show the rule catches it. */
public final class PlantedViolations {
  private PlantedViolations() {}

  public static Process startsAProcessFromCore() throws IOException {
    return new ProcessBuilder("true").start();
  }
}
