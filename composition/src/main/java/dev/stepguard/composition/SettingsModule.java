package dev.stepguard.composition;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.stepguard.core.execution.Redactor;
import java.util.Objects;

/** What core's use cases take from the project's settings rather than from an adapter. */
final class SettingsModule extends AbstractModule {
  private final Settings settings;

  SettingsModule(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  protected void configure() {
    bind(Redactor.class).toInstance(new Redactor(settings.history().redact()));
    // what RuntimeFactory closes before the command exits; adapters add to it
    Multibinder.newSetBinder(binder(), AutoCloseable.class);
  }
}
