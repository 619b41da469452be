package dev.stepguard.composition;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What applies to a project: the operator's settings, with the project's {@code stepguard.yaml}
 * over them as far as the operator allows.
 *
 * @param settings the settings that apply, before any flag
 * @param operatorFile where the operator config is (it may not exist)
 * @param trust whether the project's file is trusted, which decides how much of it applies
 * @param notices one line for each key of the project file that was not applied, {@code
 *     FILE:LINE:COLUMN: } first
 */
public record ProjectConfig(
    Settings settings, Optional<Path> operatorFile, Trust trust, List<String> notices) {

  /** Whether the project's file is trusted: absent, trusted, never trusted, or edited since. */
  public enum Trust {
    /** The project has no {@code stepguard.yaml}. */
    NO_FILE,
    /** The operator trusted this exact content: it applies whole. */
    TRUSTED,
    /** Never trusted: it applies where it tightens only. */
    UNTRUSTED,
    /** Trusted once, edited since: it applies where it tightens only. */
    CHANGED
  }

  /** Checks that every part is given; copies the notices. */
  public ProjectConfig {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(operatorFile, "operatorFile");
    Objects.requireNonNull(trust, "trust");
    notices = List.copyOf(Objects.requireNonNull(notices, "notices"));
  }
}
