package dev.stepguard.composition;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The root bindings of an entry point: the clock, the adapters its projects run with, where the
 * operator config is, and the {@link RuntimeFactory} that builds each project's runtime. An entry
 * point builds its injector from this module (and its own), takes the {@link RuntimeFactory} (and,
 * for {@code stepguard trust}, the {@link OperatorTrust}) from it, and calls {@link
 * RuntimeFactory#closeAll()} before it exits.
 */
public final class CompositionModule extends AbstractModule {
  private final RuntimeModuleFactory runtimeModules;
  private final OperatorConfigLocation operatorConfig;

  /**
   * @param runtimeModules the adapters: {@link RuntimeModuleFactory#production()}, or fakes
   * @param env the environment that says where the operator config is ({@code STEPGUARD_CONFIG},
   *     {@code XDG_CONFIG_HOME}, {@code HOME}); read once, here
   */
  public CompositionModule(RuntimeModuleFactory runtimeModules, Map<String, String> env) {
    this.runtimeModules = Objects.requireNonNull(runtimeModules, "runtimeModules");
    this.operatorConfig =
        new OperatorConfigLocation(OperatorConfig.locate(Objects.requireNonNull(env, "env")));
  }

  @Override
  protected void configure() {
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(RuntimeModuleFactory.class).toInstance(runtimeModules);
    bind(OperatorConfigLocation.class).toInstance(operatorConfig);
    bind(RuntimeFactory.class).in(Singleton.class);
  }
}
