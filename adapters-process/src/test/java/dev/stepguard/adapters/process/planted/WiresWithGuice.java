package dev.stepguard.adapters.process.planted;

import com.google.inject.Injector;

/** Reaches for Guice outside a module on purpose, so ArchitectureTest can show it is caught. */
public final class WiresWithGuice {
  private WiresWithGuice() {}

  public static Object lookUp(Injector injector) {
    return injector.getInstance(Object.class);
  }
}
