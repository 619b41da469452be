package dev.stepguard.app.cli;

import dev.stepguard.core.model.EnvironmentNames;
import dev.stepguard.core.model.LimitOverrides;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Quantities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Applies what one configuration file says over settings, every value parsed here, once. */
final class SettingsReader {
  private SettingsReader() {}

  /**
   * {@code base} with everything {@code text} sets.
   *
   * @param directory what relative paths in the file ({@code python}, {@code credentials}) are
   *     relative to
   */
  static Settings apply(Settings base, ConfigText text, Path directory) {
    ConfigFile file = text.content();
    try {
      Duration timeout = or(file.timeout(), Quantities::duration, base.timeout());
      Limits limits = base.baseLimits();
      long cpuTimeMs = base.cpuTimeMs();
      ConfigFile.LimitsSection section = file.limits();
      if (section != null) {
        cpuTimeMs = or(section.cpuTime(), t -> Quantities.duration(t).toMillis(), cpuTimeMs);
        limits = LimitOverrides.apply(limits, section.overrides());
      }
      return new Settings(
          file.python() == null ? base.python() : python(file.python(), directory),
          or(file.isolation(), IsolationChoice::parse, base.isolation()),
          timeout,
          or(file.grace(), Quantities::duration, base.grace()),
          cpuTimeMs,
          limits,
          file.sandbox() == null || file.sandbox().writable() == null
              ? base.writable()
              : file.sandbox().writable(),
          history(base.history(), file.history(), directory),
          or(file.maxTimeout(), Quantities::duration, base.maxTimeout()),
          envAllow(text, base.envAllow()));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new UsageError(text.file() + ": " + e.getMessage());
    }
  }

  /** A command name stays a name looked up on the PATH; a relative path is the file's. */
  private static String python(String configured, Path directory) {
    if (!configured.contains("/")) {
      return configured;
    }
    return directory.resolve(configured).normalize().toString();
  }

  private static Set<String> envAllow(ConfigText text, Set<String> base) {
    ConfigFile.EnvSection env = text.content().env();
    if (env == null || env.allow() == null) {
      return base;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String name : env.allow()) {
      Optional<String> problem = EnvironmentNames.problemWith(name);
      if (problem.isPresent()) {
        throw new UsageError(text.at("env.allow") + problem.get());
      }
      names.add(name);
    }
    return names;
  }

  private static HistoryOptions history(
      HistoryOptions base, ConfigFile.HistorySection section, Path directory) {
    if (section == null) {
      return base;
    }
    if (section.credentials() != null && section.url() == null) {
      throw new IllegalArgumentException(
          "history.credentials needs history.url; the project's own history creates its own");
    }
    return new HistoryOptions(
        section.url() == null ? base.url() : Optional.of(section.url()),
        section.credentials() == null
            ? section.url() == null ? base.credentials() : Optional.empty()
            : Optional.of(directory.resolve(section.credentials()).normalize()),
        section.redact() == null ? base.redact() : List.copyOf(section.redact()),
        section.retention() == null
            ? base.retention()
            : Optional.of(Quantities.duration(section.retention())),
        section.keep() == null ? base.keep() : section.keep());
  }

  private static <T> T or(String text, Function<String, T> parse, T fallback) {
    return text == null ? fallback : parse.apply(text);
  }
}
