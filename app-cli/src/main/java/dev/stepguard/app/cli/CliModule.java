package dev.stepguard.app.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import java.time.Clock;
import java.util.Objects;

/**
 * The command line's root bindings: the clock, the adapters its commands run with, where the
 * operator config is and what signals do.
 */
final class CliModule extends AbstractModule {
  private final RuntimeModuleFactory runtimeModules;
  private final OperatorConfigLocation operatorConfig;
  private final Interrupts interrupts;

  CliModule(
      RuntimeModuleFactory runtimeModules,
      OperatorConfigLocation operatorConfig,
      Interrupts interrupts) {
    this.runtimeModules = Objects.requireNonNull(runtimeModules, "runtimeModules");
    this.operatorConfig = Objects.requireNonNull(operatorConfig, "operatorConfig");
    this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
  }

  @Override
  protected void configure() {
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(RuntimeModuleFactory.class).toInstance(runtimeModules);
    bind(OperatorConfigLocation.class).toInstance(operatorConfig);
    bind(Interrupts.class).toInstance(interrupts);
    bind(RuntimeFactory.class).in(Singleton.class);
  }
}
