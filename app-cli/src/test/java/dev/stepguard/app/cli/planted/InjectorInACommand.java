package dev.stepguard.app.cli.planted;

import com.google.inject.Injector;

/** A command that looks things up in the injector itself: the rule must catch it. */
public final class InjectorInACommand {
  private final Injector injector;

  public InjectorInACommand(Injector injector) {
    this.injector = injector;
  }

  public Object lookUp() {
    return injector.getInstance(Object.class);
  }
}
