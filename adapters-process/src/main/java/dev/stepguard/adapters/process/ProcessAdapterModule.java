package dev.stepguard.adapters.process;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.stepguard.core.model.ContainedPath;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ProcessTable;
import java.util.Objects;

/**
 * Binds the filesystem {@link PathPolicy} for the configured project, the host's {@link
 * dev.stepguard.core.port.ProcessTable}, the Python interpreter and bubblewrap discovery, and their
 * health checks. Combine with one launcher module: {@link LocalLauncherModule} or {@link
 * SandboxLauncherModule}.
 */
public final class ProcessAdapterModule extends AbstractModule {
  private final ProcessSettings settings;

  public ProcessAdapterModule(ProcessSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * The disk as {@link ContainedPath} walks it ({@code lstat} and {@code readlink} only), for what
   * else reads project paths (workflow files, {@code pythonPath}) the way scripts are read.
   */
  public static ContainedPath.Disk disk() {
    return FilesystemDisk.INSTANCE;
  }

  /**
   * Starts looking for the Python interpreter of {@code project} (an injector with this module) on
   * a thread of its own, for a command that is about to launch a script there.
   */
  public static void lookForPythonAhead(Injector project) {
    project.getInstance(PythonLocator.class).lookAhead();
  }

  @Override
  protected void configure() {
    Multibinder<HealthCheck> checks = Multibinder.newSetBinder(binder(), HealthCheck.class);
    checks.addBinding().to(PythonLocator.class);
    checks.addBinding().to(Bubblewrap.class);
  }

  @Provides
  @Singleton
  ProcessSettings settings() {
    return settings;
  }

  @Provides
  @Singleton
  ProcessTable processTable() {
    return new ProcfsProcessTable();
  }

  @Provides
  @Singleton
  Bubblewrap bubblewrap() {
    return Bubblewrap.forProject(settings.projectRoot(), settings.writable());
  }

  @Provides
  @Singleton
  PathPolicy pathPolicy() {
    return new FilesystemPathPolicy(settings.projectRoot());
  }

  @Provides
  @Singleton
  PythonLocator pythonLocator() {
    return new PythonLocator(settings, System.getenv("PATH"));
  }
}
