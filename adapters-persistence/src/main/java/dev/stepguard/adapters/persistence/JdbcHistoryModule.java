package dev.stepguard.adapters.persistence;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.stepguard.core.port.ExecutionStore;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.IdempotencyKeys;
import dev.stepguard.core.port.TokenStore;
import dev.stepguard.core.port.WorkflowRunStore;
import java.util.Objects;

/**
 * Binds the {@link ExecutionStore}, the {@link WorkflowRunStore}, the {@link TokenStore} and the
 * {@link IdempotencyKeys} to the history database the settings name (the project's H2 file by
 * default, or any JDBC URL with its driver on the class path) and a {@code history} health check.
 * Nothing is opened while the injector is built: the database opens, and its schema is migrated, on
 * first use. The database is also in the set of {@code AutoCloseable}s that an entry point closes
 * before it exits, so that a process hosting the project's H2 file hands it over cleanly.
 */
public final class JdbcHistoryModule extends AbstractModule {
  private final HistorySettings settings;

  public JdbcHistoryModule(HistorySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Loads the database code that opening a history takes on a daemon thread of its own, against a
   * private in-memory database, while the caller goes on (a command line that is about to open the
   * history, before its injector is built); returns that thread.
   */
  public static Thread warmUp() {
    return HistoryWarmUp.start();
  }

  @Override
  protected void configure() {
    bind(ExecutionStore.class).to(JdbiExecutionStore.class).in(Singleton.class);
    bind(WorkflowRunStore.class).to(JdbiWorkflowRunStore.class).in(Singleton.class);
    bind(TokenStore.class).to(JdbiTokenStore.class).in(Singleton.class);
    bind(IdempotencyKeys.class).to(JdbiIdempotencyKeys.class).in(Singleton.class);
    Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(HistoryHealthCheck.class);
    Multibinder.newSetBinder(binder(), AutoCloseable.class).addBinding().to(HistoryDatabase.class);
  }

  @Provides
  @Singleton
  HistoryDatabase database() {
    return new HistoryDatabase(settings);
  }
}
