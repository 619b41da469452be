package dev.stepguard.adapters.process;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.ProcessLauncher;

/**
 * Binds {@code sandbox} isolation: scripts run inside bubblewrap. A host without a working
 * bubblewrap gets LAUNCH_FAILED with an install hint, never a silent fallback.
 */
public final class SandboxLauncherModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(ProcessLauncher.class).to(SandboxProcessLauncher.class).in(Singleton.class);
    Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(Bubblewrap.class);
  }

  @Provides
  @Singleton
  Bubblewrap bubblewrap() {
    return new Bubblewrap(System.getenv("PATH"));
  }
}
