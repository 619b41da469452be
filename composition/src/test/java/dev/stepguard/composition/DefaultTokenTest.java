package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepguard.core.fixtures.InMemoryTokenStore;
import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.TokenScope;
import dev.stepguard.core.port.TokenStore;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default token: made only when there is none, written 0600, never through a link. */
class DefaultTokenTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir Path project;
  @TempDir Path elsewhere;
  private final InMemoryTokenStore tokens = new InMemoryTokenStore();

  private Optional<String> ensure() {
    return DefaultToken.ensure(tokens, project, CLOCK);
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void makesARunTokenLabelledDefaultAndWritesItForItsOwnerOnly() throws Exception {
    String token = ensure().orElseThrow();

    Path file = project.resolve(".stepguard/token");
    assertThat(file).isEqualTo(DefaultToken.file(project));
    assertThat(Files.readString(file)).isEqualTo(token + "\n");
    assertThat(mode(file)).isEqualTo("rw-------");
    assertThat(mode(project.resolve(".stepguard"))).isEqualTo("rwx------");
    assertThat(tokens.list())
        .containsExactly(new ApiToken("default", TokenScope.RUN, ApiTokens.sha256Hex(token), T0));
    try (var left = Files.list(project.resolve(".stepguard"))) {
      assertThat(left).containsExactly(file);
    }
  }

  @Test
  void makesNothingOnceTheProjectHasAnyToken() throws Exception {
    String first = ensure().orElseThrow();

    assertThat(ensure()).isEmpty();
    assertThat(Files.readString(project.resolve(".stepguard/token"))).isEqualTo(first + "\n");
  }

  @Test
  void makesNothingWhenTheOperatorCreatedATokenBefore() {
    tokens.add(new ApiToken("ci", TokenScope.READ, ApiTokens.sha256Hex("sg_x"), T0));

    assertThat(ensure()).isEmpty();
    assertThat(project.resolve(".stepguard/token")).doesNotExist();
  }

  @Test
  void replacesAStaleTokenFileWithANewFileForItsOwnerOnly() throws Exception {
    Files.createDirectory(
        project.resolve(".stepguard"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path stale = project.resolve(".stepguard/token");
    Files.writeString(stale, "sg_stale\n");
    Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-r--r--"));

    String token = ensure().orElseThrow();

    assertThat(Files.readString(stale)).isEqualTo(token + "\n");
    assertThat(mode(stale)).isEqualTo("rw-------");
  }

  @Test
  void refusesToWriteThroughALinkAtTheTokenAndStoresNoToken() throws Exception {
    Files.createDirectory(
        project.resolve(".stepguard"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path target = elsewhere.resolve("victim");
    Files.writeString(target, "untouched");
    Files.createSymbolicLink(project.resolve(".stepguard/token"), target);

    assertThatThrownBy(this::ensure)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("is a symbolic link or not a regular file");
    assertThat(Files.readString(target)).isEqualTo("untouched");
    assertThat(Files.isSymbolicLink(project.resolve(".stepguard/token"))).isTrue();
    assertThat(tokens.list()).isEmpty();
    try (var left = Files.list(project.resolve(".stepguard"))) {
      assertThat(left).hasSize(1);
    }
  }

  @Test
  void refusesAStepguardDirectoryThatIsALink() throws Exception {
    Files.createSymbolicLink(project.resolve(".stepguard"), elsewhere);

    assertThatThrownBy(this::ensure)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(".stepguard is a symbolic link");
    try (var left = Files.list(elsewhere)) {
      assertThat(left).isEmpty();
    }
    assertThat(tokens.list()).isEmpty();
  }

  @Test
  void refusesAStepguardDirectoryOthersMayWriteTo() throws Exception {
    Files.createDirectory(project.resolve(".stepguard"));
    Files.setPosixFilePermissions(
        project.resolve(".stepguard"), PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(this::ensure)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("writable by group or others (rwxrwxrwx): run chmod 700");
    assertThat(tokens.list()).isEmpty();
  }

  @Test
  void leavesTheFileAloneWhenAnotherProcessMadeTheDefaultTokenMeanwhile() throws Exception {
    tokens.add(new ApiToken("default", TokenScope.RUN, ApiTokens.sha256Hex("sg_other"), T0));
    TokenStore seenEmpty =
        new TokenStore() {
          @Override
          public void add(ApiToken token) {
            tokens.add(token);
          }

          @Override
          public Optional<ApiToken> findBySha256(String sha256Hex) {
            return tokens.findBySha256(sha256Hex);
          }

          @Override
          public List<ApiToken> list() {
            return List.of();
          }

          @Override
          public boolean revoke(String label, Instant at) {
            return tokens.revoke(label, at);
          }

          @Override
          public void withdraw(ApiToken token) {
            tokens.withdraw(token);
          }
        };

    assertThat(DefaultToken.ensure(seenEmpty, project, CLOCK)).isEmpty();
    try (var left = Files.list(project.resolve(".stepguard"))) {
      assertThat(left).isEmpty();
    }
    assertThat(tokens.list())
        .extracting(ApiToken::sha256Hex)
        .containsExactly(ApiTokens.sha256Hex("sg_other"));
  }
}
