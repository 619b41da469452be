package dev.stepguard.composition;

import dev.stepguard.core.model.Ceilings;
import dev.stepguard.core.model.EnvironmentNames;
import dev.stepguard.core.model.LimitOverrides;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Quantities;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
    Limits limits = base.baseLimits();
    long cpuTimeMs = base.cpuTimeMs();
    ConfigFile.LimitsSection section = file.limits();
    if (section != null) {
      cpuTimeMs = at(text, "limits.cpuTime", section.cpuTime(), SettingsReader::cpuTime, cpuTimeMs);
      for (Map.Entry<String, String> limit : section.overrides().entrySet()) {
        Limits before = limits;
        limits =
            at(
                text,
                "limits." + limit.getKey(),
                limit.getValue(),
                v -> LimitOverrides.apply(before, Map.of(limit.getKey(), v)),
                limits);
      }
    }
    try {
      return new Settings(
          file.python() == null ? base.python() : python(file.python(), directory),
          file.pythonPath() == null ? base.pythonPath() : PythonPath.entries(text),
          at(text, "isolation", file.isolation(), IsolationChoice::parse, base.isolation()),
          at(
              text,
              "timeout",
              file.timeout(),
              t -> bounded("timeout", t, Ceilings.TIMEOUT),
              base.timeout()),
          at(text, "grace", file.grace(), t -> bounded("grace", t, Ceilings.GRACE), base.grace()),
          cpuTimeMs,
          limits,
          file.sandbox() == null || file.sandbox().writable() == null
              ? base.writable()
              : file.sandbox().writable(),
          history(base.history(), text, directory),
          at(
              text,
              "maxTimeout",
              file.maxTimeout(),
              t -> bounded("maxTimeout", t, Ceilings.TIMEOUT),
              base.maxTimeout()),
          envAllow(text, base.envAllow()),
          http(text, base.http()),
          warm(text, base.warm()));
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigurationException(text.file() + ": " + e.getMessage());
    }
  }

  /** A duration at most its ceiling. */
  private static Duration bounded(String key, String text, Duration ceiling) {
    return Ceilings.check(key, Quantities.duration(text), ceiling);
  }

  private static long cpuTime(String text) {
    return bounded("limits.cpuTime", text, Ceilings.CPU_TIME).toMillis();
  }

  /**
   * {@code value} of the dotted {@code key} parsed, or {@code fallback} when the file does not set
   * it; a bad value is a usage error at the key's place, {@code FILE:LINE:COLUMN}.
   */
  private static <T> T at(
      ConfigText text, String key, String value, Function<String, T> parse, T fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigurationException(text.at(key) + e.getMessage());
    }
  }

  /** A command name stays a name looked up on the PATH; a relative path is the file's. */
  private static String python(String configured, Path directory) {
    if (!configured.contains("/")) {
      return configured;
    }
    return directory.resolve(configured).normalize().toString();
  }

  private static WarmOptions warm(ConfigText text, WarmOptions base) {
    ConfigFile.WarmSection warm = text.content().warm();
    if (warm == null) {
      return base;
    }
    try {
      return new WarmOptions(
          warm.enabled() == null ? base.enabled() : Optional.of(warm.enabled()),
          warm.pool() == null ? base.pool() : warm.pool());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(text.at("warm") + e.getMessage());
    }
  }

  private static HttpOptions http(ConfigText text, HttpOptions base) {
    ConfigFile.HttpSection http = text.content().http();
    if (http == null) {
      return base;
    }
    try {
      return new HttpOptions(
          http.bind() == null ? base.bind() : http.bind(),
          http.port() == null ? base.port() : http.port(),
          http.slots() == null ? base.slots() : http.slots(),
          http.queue() == null ? base.queue() : http.queue(),
          at(
              text,
              "http.drain",
              http.drain(),
              t -> bounded("http.drain", t, Ceilings.GRACE),
              base.drain()));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(text.at("http") + e.getMessage());
    }
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
        throw new ConfigurationException(text.at("env.allow") + problem.get());
      }
      names.add(name);
    }
    return names;
  }

  /**
   * An embedded H2 database named by a relative path ({@code jdbc:h2:file:./audit}) is the file's
   * directory's, never the current directory's; any other URL is kept as written.
   */
  static String url(String configured, Path directory) {
    for (String prefix : List.of("jdbc:h2:file:", "jdbc:h2:")) {
      if (configured.startsWith(prefix)) {
        String rest = configured.substring(prefix.length());
        if (rest.startsWith("./") || rest.startsWith("../")) {
          int options = rest.indexOf(';');
          String path = options < 0 ? rest : rest.substring(0, options);
          String tail = options < 0 ? "" : rest.substring(options);
          return prefix + directory.resolve(path).normalize() + tail;
        }
        return configured;
      }
    }
    return configured;
  }

  private static HistoryOptions history(HistoryOptions base, ConfigText text, Path directory) {
    ConfigFile.HistorySection section = text.content().history();
    if (section == null) {
      return base;
    }
    if (section.credentials() != null && section.url() == null) {
      throw new IllegalArgumentException(
          "history.credentials needs history.url; the project's own history creates its own");
    }
    return new HistoryOptions(
        section.url() == null ? base.url() : Optional.of(url(section.url(), directory)),
        section.credentials() == null
            ? section.url() == null ? base.credentials() : Optional.empty()
            : Optional.of(directory.resolve(section.credentials()).normalize()),
        section.redact() == null ? base.redact() : List.copyOf(section.redact()),
        at(
            text,
            "history.retention",
            section.retention(),
            t -> Optional.of(bounded("history.retention", t, Ceilings.RETENTION)),
            base.retention()),
        section.keep() == null ? base.keep() : section.keep());
  }
}
