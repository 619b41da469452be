package dev.stepguard.adapters.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path dir;

  @Test
  void createsAPrivateFileWithARandomPasswordOnce() throws Exception {
    Path file = dir.resolve(".stepguard/history.credentials");

    Credentials first = Credentials.load(file, true);
    Credentials again = Credentials.load(file, true);

    assertThat(first).isEqualTo(again);
    assertThat(first.user()).isEqualTo(Credentials.DEFAULT_USER);
    assertThat(first.password()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(first.toString()).doesNotContain(first.password());
  }

  @Test
  void givesEveryProjectItsOwnPassword() throws Exception {
    Credentials one = Credentials.load(dir.resolve("a/history.credentials"), true);
    Credentials two = Credentials.load(dir.resolve("b/history.credentials"), true);

    assertThat(one.password()).isNotEqualTo(two.password());
  }

  @Test
  void refusesAFileOthersCanRead() throws Exception {
    Path file = dir.resolve("history.credentials");
    Files.writeString(file, "user=u\npassword=p\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> Credentials.load(file, false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("chmod 600");
  }

  @Test
  void refusesASymbolicLink() throws Exception {
    Path target = dir.resolve("elsewhere");
    Files.writeString(target, "user=u\npassword=p\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    Path link = Files.createSymbolicLink(dir.resolve("history.credentials"), target);

    assertThatThrownBy(() -> Credentials.load(link, true))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("symbolic link");
  }

  @Test
  void refusesAFileOfAnotherUser() throws Exception {
    assumeTrue(
        PrivateDirectory.effectiveUid().equals(Optional.of(0)),
        "giving a file to another user needs root");
    Path file = dir.resolve("history.credentials");
    Files.writeString(file, "user=u\npassword=p\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.setAttribute(file, "unix:uid", 65534);

    assertThatThrownBy(() -> Credentials.load(file, false))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("belongs to user id 65534");
  }

  @Test
  void readsAGivenFileWithoutCreatingOne() throws Exception {
    Path file = dir.resolve("pg.properties");
    Files.writeString(file, "user=auditor\npassword=s3cret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThat(Credentials.load(file, false)).isEqualTo(new Credentials("auditor", "s3cret"));
    assertThatThrownBy(() -> Credentials.load(dir.resolve("missing"), false))
        .isInstanceOf(IOException.class);
  }
}
