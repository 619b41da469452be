package dev.stepguard.app.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import java.time.Clock;
import java.util.Objects;

/**
 * The command line's root bindings: the clock, the adapters its commands run with and where the
 * operator config is.
 */
final class CliModule extends AbstractModule {
  private final RuntimeModuleFactory runtimeModules;
  private final OperatorConfigLocation operatorConfig;

  CliModule(RuntimeModuleFactory runtimeModules, OperatorConfigLocation operatorConfig) {
    this.runtimeModules = Objects.requireNonNull(runtimeModules, "runtimeModules");
    this.operatorConfig = Objects.requireNonNull(operatorConfig, "operatorConfig");
  }

  @Override
  protected void configure() {
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(RuntimeModuleFactory.class).toInstance(runtimeModules);
    bind(OperatorConfigLocation.class).toInstance(operatorConfig);
    bind(RuntimeFactory.class).in(Singleton.class);
  }
}
