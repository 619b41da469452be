package dev.stepguard.adapters.process;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import dev.stepguard.core.port.ProcessLauncher;

/** Binds {@code process} isolation: scripts run as plain child processes of stepguard. */
public final class LocalLauncherModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(ProcessLauncher.class).to(LocalProcessLauncher.class).in(Singleton.class);
  }
}
