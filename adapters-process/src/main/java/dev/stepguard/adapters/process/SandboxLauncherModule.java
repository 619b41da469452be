package dev.stepguard.adapters.process;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Binds {@code sandbox} isolation: scripts run inside bubblewrap. A host without a working
 * bubblewrap gets LAUNCH_FAILED with an install hint, never a silent fallback. Combine with {@link
 * ProcessAdapterModule}.
 */
public final class SandboxLauncherModule extends AbstractModule {
  private final int warmPool;

  /** Each run's sandbox starts with the run. */
  public SandboxLauncherModule() {
    this(0);
  }

  /**
   * @param warmPool how many sandboxes wait for runs, started ahead with everything that does not
   *     depend on the run (1 to 64), or 0 to start each run's sandbox with the run. The launcher is
   *     {@link AutoCloseable}: closing it kills the waiting ones.
   */
  public SandboxLauncherModule(int warmPool) {
    if (warmPool < 0 || warmPool > WarmSandboxes.MAX_SIZE) {
      throw new IllegalArgumentException(
          "the warm sandbox pool holds 0 to " + WarmSandboxes.MAX_SIZE + ", not " + warmPool);
    }
    this.warmPool = warmPool;
  }

  @Override
  protected void configure() {
    bind(ProcessLauncher.class).to(SandboxProcessLauncher.class);
  }

  @Provides
  @Singleton
  SandboxProcessLauncher launcher(
      PythonLocator python, Bubblewrap bubblewrap, ProcessSettings settings) {
    return new SandboxProcessLauncher(python, bubblewrap, settings, CgroupHost.current(), warmPool);
  }

  /**
   * Why the sandbox cannot run for {@code projectRoot} on this host, or empty when it can: for
   * choosing {@code auto} isolation. The bwrap tried is the one its runs would use, never one found
   * inside the project or its {@code writable} directories. Tries bubblewrap once per call; callers
   * keep the answer. A bwrap that did not answer in time is not a reason: a busy moment must not
   * lower a process's isolation for its life, so {@code auto} keeps the sandbox, whose runs are
   * refused until bwrap answers.
   */
  public static Optional<String> unavailableBecause(Path projectRoot, List<String> writable) {
    return unavailableBecause(Bubblewrap.forProject(projectRoot, writable));
  }

  static Optional<String> unavailableBecause(Bubblewrap bubblewrap) {
    return bubblewrap.probe() instanceof Bubblewrap.Probe.Broken broken
        ? Optional.of(broken.reason())
        : Optional.empty();
  }
}
