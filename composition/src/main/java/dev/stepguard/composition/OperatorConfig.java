package dev.stepguard.composition;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator's settings, kept outside every project: {@code $STEPGUARD_CONFIG}, else {@code
 * $XDG_CONFIG_HOME/stepguard/config.yaml}, else {@code ~/.config/stepguard/config.yaml}. Besides
 * the settings of {@code stepguard.yaml}, it holds {@code env.allow} and the project files the
 * operator trusted, by real path and SHA-256.
 */
final class OperatorConfig {
  private final Optional<Path> file;
  private final Optional<ConfigText> text;

  private OperatorConfig(Optional<Path> file, Optional<ConfigText> text) {
    this.file = Objects.requireNonNull(file, "file");
    this.text = Objects.requireNonNull(text, "text");
  }

  /** Where the operator config is for this environment, if anywhere. */
  static Optional<Path> locate(Map<String, String> env) {
    String named = env.get("STEPGUARD_CONFIG");
    if (named != null && !named.isBlank()) {
      return Optional.of(Path.of(named).toAbsolutePath().normalize());
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && Path.of(xdg).isAbsolute()) {
      return Optional.of(Path.of(xdg, "stepguard", "config.yaml"));
    }
    String home = env.get("HOME");
    if (home != null && Path.of(home).isAbsolute()) {
      return Optional.of(Path.of(home, ".config", "stepguard", "config.yaml"));
    }
    return Optional.empty();
  }

  /** The config at {@code file}; a file that does not exist says nothing. */
  static OperatorConfig load(Optional<Path> file) {
    return new OperatorConfig(file, file.flatMap(path -> ConfigText.read(path, true)));
  }

  Optional<Path> file() {
    return file;
  }

  /** The defaults with the operator's settings applied. */
  Settings settings() {
    if (text.isEmpty()) {
      return Settings.defaults();
    }
    ConfigText config = text.get();
    return SettingsReader.apply(Settings.defaults(), config, config.file().getParent());
  }

  /** Where {@code key} (dotted) stands in this config, as {@code FILE:LINE:COLUMN: }. */
  String at(String key) {
    return text.map(config -> config.at(key)).orElse("");
  }

  /** The SHA-256 the operator trusted for the project file at this real path, if any. */
  Optional<String> trustedSha256(Path projectFile) {
    return text.map(ConfigText::content)
        .map(ConfigFile::trusted)
        .map(trusted -> trusted.get(projectFile.toString()));
  }

  /** Records (or with a null {@code sha256}, forgets) trust in a project file's exact content. */
  void setTrust(Path projectFile, String sha256) {
    Path target =
        file.orElseThrow(
            () ->
                new ConfigurationException(
                    "there is no operator config to record trust in: set STEPGUARD_CONFIG,"
                        + " XDG_CONFIG_HOME or HOME"));
    try {
      ObjectNode root =
          Files.exists(target) && Files.size(target) > 0
              ? (ObjectNode) ConfigText.YAML.readTree(target.toFile())
              : ConfigText.YAML.createObjectNode();
      ObjectNode trusted =
          root.get("trusted") instanceof ObjectNode existing ? existing : root.putObject("trusted");
      if (sha256 == null) {
        trusted.remove(projectFile.toString());
      } else {
        trusted.put(projectFile.toString(), sha256);
      }
      write(target, ConfigText.YAML.writeValueAsBytes(root));
    } catch (IOException | ClassCastException e) {
      throw new ConfigurationException(target + ": cannot record trust: " + e.getMessage());
    }
  }

  /**
   * Replaces the file in one step, readable by its owner only, so no half-written config is read.
   */
  private static void write(Path target, byte[] content) throws IOException {
    Path directory =
        Objects.requireNonNull(target.toAbsolutePath().getParent(), "the config's directory");
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(
          directory,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Path temporary =
        Files.createTempFile(
            directory,
            ".config",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(temporary, content);
      try {
        Files.move(
            temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
