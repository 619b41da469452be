package dev.stepguard.adapters.persistence;

import dev.stepguard.core.port.HistoryUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the execution history lives.
 *
 * @param url a JDBC URL: the project's H2 file by default, or any database with a driver on the
 *     class path
 * @param credentialsFile a properties file with {@code user} and {@code password}, readable by its
 *     owner only; for the project's own H2 file it lies in the operator's state directory, outside
 *     the project, and is created on first use
 * @param createCredentials whether a missing credentials file is created with a random password
 * @param privateDirectory the project's {@code .stepguard} directory for the project's own H2 file:
 *     checked (a real directory of the user, not writable by others) before anything opens
 */
public record HistorySettings(
    String url,
    Optional<Path> credentialsFile,
    boolean createCredentials,
    Optional<Path> privateDirectory) {
  /** The directory inside a project that holds the history; scripts never see it in a sandbox. */
  public static final String PRIVATE_DIRECTORY = ".stepguard";

  /** The credentials file that older versions kept in {@link #PRIVATE_DIRECTORY}. */
  static final String LEGACY_CREDENTIALS = "history.credentials";

  public HistorySettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(credentialsFile, "credentialsFile");
    Objects.requireNonNull(privateDirectory, "privateDirectory");
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("the history url must be a JDBC URL, was '" + url + "'");
    }
  }

  /**
   * The default: an H2 file at {@code .stepguard/history} in the project, its credentials in the
   * operator's state directory ({@code $XDG_STATE_HOME/stepguard}, else {@code
   * ~/.local/state/stepguard}).
   *
   * @throws HistoryUnavailableException if the project's path has a character that H2 would read as
   *     part of the URL rather than of the file name
   */
  public static HistorySettings forProject(Path projectRoot) {
    return forProject(projectRoot, defaultStateDirectory());
  }

  /** The default history of a project, its credentials kept under {@code stateDirectory}. */
  public static HistorySettings forProject(Path projectRoot, Path stateDirectory) {
    Path root = projectRoot.toAbsolutePath().normalize();
    Path directory = root.resolve(PRIVATE_DIRECTORY);
    String file = directory.resolve("history").toString();
    requireLiteralH2FileName(file);
    return new HistorySettings(
        "jdbc:h2:file:" + file,
        Optional.of(
            stateDirectory
                .toAbsolutePath()
                .normalize()
                .resolve("history-credentials")
                .resolve(key(root) + ".credentials")),
        true,
        Optional.of(directory));
  }

  /** A database of the user's choice; credentials, if any, from an existing file. */
  public static HistorySettings of(String url, Path credentialsFile) {
    return new HistorySettings(url, Optional.ofNullable(credentialsFile), false, Optional.empty());
  }

  /**
   * Refuses a file name that H2 would not take literally after {@code jdbc:h2:file:}: {@code ;}
   * starts the URL's settings and cannot be escaped, H2 turns {@code \} into {@code /}, and control
   * characters have no business in a path. A name that is not absolute would let a leading {@code
   * ~} or a {@code prefix:} change where the file is.
   */
  static void requireLiteralH2FileName(String file) {
    if (!file.startsWith("/")) {
      throw unusable(file, "it is not an absolute path");
    }
    for (int i = 0; i < file.length(); i++) {
      char c = file.charAt(i);
      if (c == ';' || c == '\\' || c < 0x20 || c == 0x7f) {
        throw unusable(
            file, String.format("it contains the character U+%04X at offset %d", (int) c, i));
      }
    }
  }

  private static HistoryUnavailableException unusable(String file, String why) {
    return new HistoryUnavailableException(
        "the project path "
            + file
            + " cannot hold the execution history: "
            + why
            + ", which H2 cannot take in a file path; rename the project directory, or set"
            + " history.url in the operator config",
        new IllegalArgumentException(why));
  }

  /** The project's real path when it exists (so every way to name it finds one history). */
  private static String key(Path root) {
    String name;
    try {
      name = root.toRealPath().toString();
    } catch (IOException notThereYet) {
      name = root.toString();
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  static Path defaultStateDirectory() {
    String xdg = System.getenv("XDG_STATE_HOME");
    if (xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "stepguard");
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "stepguard");
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
