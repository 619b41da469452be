package dev.stepguard.app.cli;

import com.google.inject.AbstractModule;
import java.time.Clock;
import java.util.Objects;

/** The command line's root bindings: the clock and the adapters its commands run with. */
final class CliModule extends AbstractModule {
  private final RuntimeModuleFactory runtimeModules;

  CliModule(RuntimeModuleFactory runtimeModules) {
    this.runtimeModules = Objects.requireNonNull(runtimeModules, "runtimeModules");
  }

  @Override
  protected void configure() {
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(RuntimeModuleFactory.class).toInstance(runtimeModules);
  }
}
