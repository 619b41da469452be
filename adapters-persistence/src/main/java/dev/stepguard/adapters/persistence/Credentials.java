package dev.stepguard.adapters.persistence;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * The user and password of the history database, kept in a file only its owner may read. The
 * project's H2 file gets a random password on first use, so that the local port H2 opens for a
 * second stepguard process answers no one who cannot read this file.
 */
record Credentials(String user, String password) {
  static final Credentials NONE = new Credentials("", "");
  static final String DEFAULT_USER = "stepguard";

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  @Override
  public String toString() {
    return "Credentials[user=" + user + ", password=(hidden)]";
  }

  /** Reads {@code file}, creating it with a fresh random password first if asked to. */
  static Credentials load(Path file, boolean create) throws IOException {
    if (create && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      createFile(file);
    }
    if (Files.isSymbolicLink(file)) {
      throw new IOException(file + " is a symbolic link; the credentials must be a plain file");
    }
    PrivateDirectory.requireOwnedByMe(file);
    Set<PosixFilePermission> permissions =
        Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
    if (!OWNER_ONLY.containsAll(permissions)) {
      throw new IOException(
          file
              + " can be read by others ("
              + PosixFilePermissions.toString(permissions)
              + "); run: chmod 600 "
              + file);
    }
    Properties properties = new Properties();
    try (Reader reader =
        new BufferedReader(
            new InputStreamReader(
                Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
      properties.load(reader);
    }
    return new Credentials(
        properties.getProperty("user", DEFAULT_USER), properties.getProperty("password", ""));
  }

  private static void createFile(Path file) throws IOException {
    Path directory =
        Objects.requireNonNull(file.toAbsolutePath().getParent(), "the credentials' directory");
    Files.createDirectories(
        directory,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    Properties properties = new Properties();
    properties.setProperty("user", DEFAULT_USER);
    properties.setProperty(
        "password", Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    Path draft =
        Files.createTempFile(
            directory, ".credentials", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      try (Writer writer =
          Files.newBufferedWriter(draft, StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
        properties.store(writer, "stepguard history credentials: keep this file private (0600)");
      }
      Files.createLink(file, draft);
    } catch (FileAlreadyExistsException raced) {
      // another stepguard process created it first; theirs is the one to use
    } finally {
      Files.deleteIfExists(draft);
    }
  }
}
