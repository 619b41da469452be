package dev.stepguard.composition;

import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.TokenScope;
import dev.stepguard.core.port.TokenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The token a server makes for local clients on its first start: when the project has no token at
 * all, one labelled {@value #LABEL} with scope {@code run}, written to {@code .stepguard/token},
 * readable by its owner only from the moment it exists.
 */
public final class DefaultToken {
  /** The label of the token made on first start. */
  public static final String LABEL = "default";

  private static final String FILE = "token";
  private static final SecureRandom RANDOM = new SecureRandom();

  private DefaultToken() {}

  /** Where the default token is written for the project at {@code projectRoot}. */
  public static Path file(Path projectRoot) {
    return projectRoot.resolve(".stepguard").resolve(FILE);
  }

  /**
   * Makes the default token if the project's history has never had a token (a revoked one counts:
   * its label is never reused), and writes it to {@link #file}; empty when there is or was a token
   * (or another process made the default one at the same moment).
   *
   * @throws UncheckedIOException if the file cannot be written safely: {@code .stepguard} is a
   *     link, not a directory, not the user's or writable by others, or {@code token} is a link or
   *     not a regular file. No token is stored then.
   */
  public static Optional<String> ensure(ProjectRuntime runtime) {
    return ensure(runtime.tokens(), runtime.projectRoot(), Clock.systemUTC());
  }

  static Optional<String> ensure(TokenStore tokens, Path projectRoot, Clock clock) {
    if (!tokens.list().isEmpty()) {
      return Optional.empty();
    }
    String token = ApiTokens.generate();
    try (TokenDirectory directory = TokenDirectory.open(projectRoot.resolve(".stepguard"))) {
      Path written = directory.writeTemporary(token);
      ApiToken made =
          new ApiToken(LABEL, TokenScope.RUN, ApiTokens.sha256Hex(token), clock.instant());
      try {
        tokens.add(made);
      } catch (IllegalArgumentException madeMeanwhile) {
        directory.delete(written);
        return Optional.empty();
      }
      try {
        directory.replaceToken(written);
      } catch (IOException | RuntimeException e) {
        tokens.withdraw(made);
        directory.delete(written);
        throw e;
      }
      return Optional.of(token);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the default API token to " + file(projectRoot) + ": " + e.getMessage(), e);
    }
  }

  /**
   * The project's {@code .stepguard}, opened once without following links; every file operation is
   * relative to that open directory, so that nothing swapped in by path meanwhile is followed.
   */
  private record TokenDirectory(Path path, SecureDirectoryStream<Path> stream)
      implements AutoCloseable {
    private static final Set<PosixFilePermission> OWNER_ONLY =
        PosixFilePermissions.fromString("rw-------");

    static TokenDirectory open(Path path) throws IOException {
      try {
        Files.createDirectory(
            path,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException present) {
        // checked below, whatever it is
      }
      if (Files.isSymbolicLink(path)) {
        throw new IOException(path + " is a symbolic link: remove it and start again");
      }
      Path parent = Objects.requireNonNull(path.toAbsolutePath().getParent(), "the project");
      SecureDirectoryStream<Path> opened;
      try (SecureDirectoryStream<Path> project = secure(Files.newDirectoryStream(parent))) {
        opened = project.newDirectoryStream(path.getFileName(), LinkOption.NOFOLLOW_LINKS);
      }
      TokenDirectory directory = new TokenDirectory(path, opened);
      try {
        directory.check();
      } catch (IOException e) {
        directory.close();
        throw e;
      }
      return directory;
    }

    private static SecureDirectoryStream<Path> secure(DirectoryStream<Path> stream)
        throws IOException {
      if (stream instanceof SecureDirectoryStream<Path> secure) {
        return secure;
      }
      stream.close();
      throw new IOException("this platform cannot write files relative to an open directory");
    }

    private void check() throws IOException {
      PosixFileAttributes attributes =
          stream.getFileAttributeView(PosixFileAttributeView.class).readAttributes();
      Set<PosixFilePermission> permissions = attributes.permissions();
      if (permissions.contains(PosixFilePermission.GROUP_WRITE)
          || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new IOException(
            path
                + " is writable by group or others ("
                + PosixFilePermissions.toString(permissions)
                + "): run chmod 700 "
                + path);
      }
    }

    /** Writes {@code token} to a new file that is 0600 from its creation, and forces it to disk. */
    Path writeTemporary(String token) throws IOException {
      Path name = Path.of(".token-" + HexFormat.of().toHexDigits(RANDOM.nextLong()) + ".tmp");
      try (SeekableByteChannel channel =
          stream.newByteChannel(
              name,
              Set.of(
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
        ByteBuffer content = ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.UTF_8));
        while (content.hasRemaining()) {
          channel.write(content);
        }
        if (channel instanceof FileChannel file) {
          file.force(true);
        }
      }
      requireOwnedLikeDirectory(name);
      return name;
    }

    /** Refuses a directory that belongs to another user than the file just created in it. */
    private void requireOwnedLikeDirectory(Path name) throws IOException {
      Object mine =
          uid(
              stream.getFileAttributeView(
                  name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS));
      Object directory = uid(stream.getFileAttributeView(PosixFileAttributeView.class));
      if (!mine.equals(directory)) {
        delete(name);
        throw new IOException(
            path + " belongs to another user: stepguard writes tokens only to its own");
      }
    }

    private static Object uid(PosixFileAttributeView view) throws IOException {
      return view.readAttributes().owner();
    }

    /**
     * Puts the written file in the place of {@code token}, which must be a plain file if present.
     */
    void replaceToken(Path written) throws IOException {
      Path token = Path.of(FILE);
      try {
        PosixFileAttributes existing =
            stream
                .getFileAttributeView(
                    token, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes();
        if (!existing.isRegularFile()) {
          throw new IOException(
              path.resolve(FILE)
                  + " is a symbolic link or not a regular file; stepguard does not write through"
                  + " it: remove it and start again");
        }
      } catch (NoSuchFileException absent) {
        // the usual case
      }
      stream.move(written, stream, token);
    }

    void delete(Path name) {
      try {
        stream.deleteFile(name);
      } catch (IOException gone) {
        // nothing left to clean up
      }
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
  }
}
