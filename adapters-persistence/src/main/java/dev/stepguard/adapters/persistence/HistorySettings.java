package dev.stepguard.adapters.persistence;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the execution history lives.
 *
 * @param url a JDBC URL: the project's H2 file by default, or any database with a driver on the
 *     class path
 * @param credentialsFile a properties file with {@code user} and {@code password}, readable by its
 *     owner only; for the project's own H2 file it is created on first use
 * @param createCredentials whether a missing credentials file is created with a random password
 */
public record HistorySettings(
    String url, Optional<Path> credentialsFile, boolean createCredentials) {
  /** The directory inside a project that holds the history; scripts never see it in a sandbox. */
  public static final String PRIVATE_DIRECTORY = ".stepguard";

  public HistorySettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(credentialsFile, "credentialsFile");
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("the history url must be a JDBC URL, was '" + url + "'");
    }
  }

  /** The default: an H2 file at {@code .stepguard/history} in the project. */
  public static HistorySettings forProject(Path projectRoot) {
    Path directory = projectRoot.toAbsolutePath().normalize().resolve(PRIVATE_DIRECTORY);
    return new HistorySettings(
        "jdbc:h2:file:" + directory.resolve("history"),
        Optional.of(directory.resolve("history.credentials")),
        true);
  }

  /** A database of the user's choice; credentials, if any, from an existing file. */
  public static HistorySettings of(String url, Path credentialsFile) {
    return new HistorySettings(url, Optional.ofNullable(credentialsFile), false);
  }

  boolean isH2File() {
    return url.startsWith("jdbc:h2:file:");
  }

  /** Where the history is, for messages: the URL without its options. */
  public String location() {
    int options = url.indexOf(';');
    return options < 0 ? url : url.substring(0, options);
  }
}
