package dev.stepguard.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated workflow file: its declared inputs, the defaults every step starts from, and the
 * steps in the order they run. Every reference in it points at a declared input or an earlier step
 * (the parser checked).
 *
 * @param file the file as it was named, for records and messages
 * @param sha256 the SHA-256 of the file's bytes
 */
public record Workflow(
    String file,
    String sha256,
    String name,
    List<String> inputs,
    Optional<Duration> defaultTimeout,
    LimitValues defaultLimits,
    List<String> defaultEnv,
    List<WorkflowStep> steps) {
  public Workflow {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(name, "name");
    inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
    Objects.requireNonNull(defaultTimeout, "defaultTimeout");
    Objects.requireNonNull(defaultLimits, "defaultLimits");
    defaultEnv = List.copyOf(Objects.requireNonNull(defaultEnv, "defaultEnv"));
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("a workflow has at least one step");
    }
  }
}
