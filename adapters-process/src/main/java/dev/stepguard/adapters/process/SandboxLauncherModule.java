package dev.stepguard.adapters.process;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import dev.stepguard.core.port.ProcessLauncher;
import java.util.Optional;

/**
 * Binds {@code sandbox} isolation: scripts run inside bubblewrap. A host without a working
 * bubblewrap gets LAUNCH_FAILED with an install hint, never a silent fallback. Combine with {@link
 * ProcessAdapterModule}.
 */
public final class SandboxLauncherModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(ProcessLauncher.class).to(SandboxProcessLauncher.class).in(Singleton.class);
  }

  /**
   * Why the sandbox cannot run on this host, or empty when it can: for choosing {@code auto}
   * isolation. Tries bubblewrap once per call; callers keep the answer.
   */
  public static Optional<String> unavailableBecause() {
    Bubblewrap.Probe probe = new Bubblewrap(System.getenv("PATH")).probe();
    return probe instanceof Bubblewrap.Probe.Broken broken
        ? Optional.of(broken.reason())
        : Optional.empty();
  }
}
