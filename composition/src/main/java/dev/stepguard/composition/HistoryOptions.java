package dev.stepguard.composition;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code history:} settings: where the history is, which input keys are secrets, and the
 * retention that {@code history prune} applies when no flags are given.
 *
 * @param url a JDBC URL, or empty for the project's H2 file
 * @param credentials the credentials file of {@code url}
 * @param redact key names whose values are redacted before storage
 * @param retention how old a run may get before {@code history prune} deletes it
 * @param keep how many of the newest runs {@code history prune} always keeps
 */
public record HistoryOptions(
    Optional<String> url,
    Optional<Path> credentials,
    List<String> redact,
    Optional<Duration> retention,
    int keep) {
  static final int DEFAULT_KEEP = 100;

  /** Checks every setting; copies the list. */
  public HistoryOptions {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(credentials, "credentials");
    redact = List.copyOf(Objects.requireNonNull(redact, "redact"));
    Objects.requireNonNull(retention, "retention");
    if (keep < 0) {
      throw new IllegalArgumentException("history.keep must not be negative, was " + keep);
    }
  }

  /** The project's own H2 history, the default secret words, no retention, 100 kept. */
  public static HistoryOptions defaults() {
    return new HistoryOptions(
        Optional.empty(),
        Optional.empty(),
        dev.stepguard.core.execution.Redactor.DEFAULT_KEYS,
        Optional.empty(),
        DEFAULT_KEEP);
  }
}
