package dev.stepguard.app.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stepguard.core.model.LimitOverrides;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Quantities;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Reads {@code stepguard.yaml} from the project root, if there is one, over the defaults. */
final class ConfigLoader {
  static final String FILE_NAME = "stepguard.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

  private ConfigLoader() {}

  static Settings load(Path projectRoot) {
    Path file = projectRoot.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Settings.defaults();
    }
    ConfigFile parsed;
    try {
      parsed = read(file);
    } catch (UnrecognizedPropertyException e) {
      throw new UsageError(
          where(file, keyLocation(file, e.getPropertyName()).orElse(e.getLocation()))
              + "unknown key '"
              + e.getPropertyName()
              + "'; known keys: "
              + e.getKnownPropertyIds());
    } catch (JsonProcessingException e) {
      throw new UsageError(where(file, e.getLocation()) + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UsageError(file + ": cannot be read: " + e.getMessage());
    }
    if (parsed == null) {
      return Settings.defaults();
    }
    try {
      return apply(projectRoot, parsed);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new UsageError(file + ": " + e.getMessage());
    }
  }

  private static Settings apply(Path projectRoot, ConfigFile file) {
    Settings defaults = Settings.defaults();
    Duration timeout = or(file.timeout(), Quantities::duration, defaults.timeout());
    Limits base = defaults.baseLimits();
    long cpuTimeMs = 0;
    ConfigFile.LimitsSection limits = file.limits();
    if (limits != null) {
      cpuTimeMs = or(limits.cpuTime(), text -> Quantities.duration(text).toMillis(), 0L);
      base = LimitOverrides.apply(base, limits.overrides());
    }
    return new Settings(
        file.python() == null ? defaults.python() : file.python(),
        or(file.isolation(), IsolationChoice::parse, defaults.isolation()),
        timeout,
        or(file.grace(), Quantities::duration, defaults.grace()),
        cpuTimeMs,
        base,
        file.sandbox() == null || file.sandbox().writable() == null
            ? List.of()
            : file.sandbox().writable(),
        history(projectRoot, file.history()),
        or(file.maxTimeout(), Quantities::duration, defaults.maxTimeout()));
  }

  private static HistoryOptions history(Path projectRoot, ConfigFile.HistorySection section) {
    HistoryOptions defaults = HistoryOptions.defaults();
    if (section == null) {
      return defaults;
    }
    if (section.credentials() != null && section.url() == null) {
      throw new IllegalArgumentException(
          "history.credentials needs history.url; the project's own history creates its own");
    }
    return new HistoryOptions(
        Optional.ofNullable(section.url()),
        Optional.ofNullable(section.credentials()).map(projectRoot::resolve),
        section.redact() == null ? defaults.redact() : section.redact(),
        Optional.ofNullable(section.retention()).map(Quantities::duration),
        section.keep() == null ? defaults.keep() : section.keep());
  }

  /** The file's content, or null when it holds nothing but comments. */
  private static ConfigFile read(Path file) throws IOException {
    try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
      return parser.nextToken() == null ? null : YAML.readValue(parser, ConfigFile.class);
    }
  }

  /** Where {@code key} first appears as a key: Jackson reports the position after its value. */
  private static Optional<JsonLocation> keyLocation(Path file, String key) {
    try (JsonParser parser = YAML.getFactory().createParser(file.toFile())) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token == JsonToken.FIELD_NAME && key.equals(parser.currentName())) {
          return Optional.of(parser.currentTokenLocation());
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static <T> T or(String text, Function<String, T> parse, T fallback) {
    return text == null ? fallback : parse.apply(text);
  }

  private static String where(Path file, JsonLocation location) {
    if (location == null) {
      return file + ": ";
    }
    return file + ":" + location.getLineNr() + ":" + location.getColumnNr() + ": ";
  }
}
