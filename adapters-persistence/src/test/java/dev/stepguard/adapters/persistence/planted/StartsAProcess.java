package dev.stepguard.adapters.persistence.planted;

import java.io.IOException;

/** A planted violation: the history adapter has no business starting processes. */
public final class StartsAProcess {
  private StartsAProcess() {}

  public static Process start() throws IOException {
    return new ProcessBuilder("true").start();
  }
}
