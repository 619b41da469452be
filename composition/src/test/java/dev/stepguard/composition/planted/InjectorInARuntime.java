package dev.stepguard.composition.planted;

import com.google.inject.Injector;

/** A runtime that looks its use cases up in the injector itself: the rule must catch it. */
public final class InjectorInARuntime {
  private final Injector injector;

  public InjectorInARuntime(Injector injector) {
    this.injector = injector;
  }

  public Object executor() {
    return injector.getInstance(Object.class);
  }
}
