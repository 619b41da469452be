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
  private final ExitGuard exitGuard;

  /** Root bindings for an entry point that leaves signals to the JVM. */
  public CompositionModule(RuntimeModuleFactory runtimeModules, Map<String, String> env) {
    this(runtimeModules, env, ExitGuard.NONE);
  }

  /**
   * @param runtimeModules the adapters: {@link RuntimeModuleFactory#production()}, or fakes
   * @param env the environment that says where the operator config is ({@code STEPGUARD_CONFIG},
   *     {@code XDG_CONFIG_HOME}, {@code HOME}); read once, here
   * @param exitGuard what defers an exit asked for while the history is first opened
   */
  public CompositionModule(
      RuntimeModuleFactory runtimeModules, Map<String, String> env, ExitGuard exitGuard) {
    this.exitGuard = Objects.requireNonNull(exitGuard, "exitGuard");
    this.runtimeModules = Objects.requireNonNull(runtimeModules, "runtimeModules");
    this.operatorConfig =
        new OperatorConfigLocation(OperatorConfig.locate(Objects.requireNonNull(env, "env")));
  }

  @Override
  protected void configure() {
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(RuntimeModuleFactory.class).toInstance(runtimeModules);
    bind(OperatorConfigLocation.class).toInstance(operatorConfig);
    bind(ExitGuard.class).toInstance(exitGuard);
    bind(RuntimeFactory.class).in(Singleton.class);
  }
}
