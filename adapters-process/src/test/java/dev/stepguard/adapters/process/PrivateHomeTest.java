package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private homes that a killed stepguard left behind are removed by the next one, and nothing
 * else is: not the homes of a process that still runs, not another user's, not what a link points
 * at, not a directory stepguard did not name.
 */
class PrivateHomeTest {
  @TempDir Path temporary;
  @TempDir Path elsewhere;

  private long namespace;
  private long deadPid;

  @BeforeEach
  void findAPidThatIsGone() throws Exception {
    namespace = PrivateHome.pidNamespace();
    assumeTrue(namespace != 0, "no /proc/self/ns/pid here");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    deadPid = gone.pid();
  }

  private Path homes(long ns, long pid, long ticks) throws Exception {
    Path directory =
        Files.createDirectory(
            temporary.resolve("stepguard-homes-" + ns + "-" + pid + "-" + ticks + "-12345"));
    Files.createDirectories(directory.resolve("run-1/a/b"));
    Files.writeString(directory.resolve("run-1/a/b/c.txt"), "x");
    return directory;
  }

  @Test
  void removesTheHomesOfAStepguardThatIsGoneWithoutFollowingItsLinks() throws Exception {
    Path precious = Files.writeString(elsewhere.resolve("precious.txt"), "keep me");
    Path preciousDirectory = Files.createDirectories(elsewhere.resolve("dir"));
    Files.writeString(preciousDirectory.resolve("inside.txt"), "keep me too");
    Path left = homes(namespace, deadPid, 4242);
    Files.createSymbolicLink(left.resolve("run-1/link"), precious);
    Files.createSymbolicLink(left.resolve("run-1/dirlink"), preciousDirectory);

    assertThat(PrivateHome.removeAbandoned(temporary)).isEqualTo(1);

    assertThat(left).doesNotExist();
    assertThat(precious).hasContent("keep me");
    assertThat(preciousDirectory.resolve("inside.txt")).hasContent("keep me too");
  }

  @Test
  void removesTheWarmSocketDirectoryOfAStepguardThatIsGoneAndKeepsALiveOnes() throws Exception {
    long self = ProcessHandle.current().pid();
    Path dead =
        Files.createDirectory(
            temporary.resolve("stepguard-w-" + namespace + "-" + deadPid + "-4242-7"));
    Files.writeString(dead.resolve("s"), "");
    Path live =
        Files.createDirectory(
            temporary.resolve(
                "stepguard-w-"
                    + namespace
                    + "-"
                    + self
                    + "-"
                    + ProcessIdentities.startTicks(self).orElseThrow()
                    + "-7"));

    assertThat(PrivateHome.removeAbandoned(temporary)).isEqualTo(1);

    assertThat(dead).doesNotExist();
    assertThat(live).isDirectory();
  }

  @Test
  void removesTheHomesOfAPidThatAnotherProcessHasSince() throws Exception {
    long self = ProcessHandle.current().pid();
    long ticks = ProcessIdentities.startTicks(self).orElseThrow();
    Path reused = homes(namespace, self, ticks + 1);

    PrivateHome.removeAbandoned(temporary);

    assertThat(reused).doesNotExist();
  }

  @Test
  void keepsTheHomesOfAStepguardThatStillRuns() throws Exception {
    long self = ProcessHandle.current().pid();
    Path live = homes(namespace, self, ProcessIdentities.startTicks(self).orElseThrow());

    assertThat(PrivateHome.removeAbandoned(temporary)).isZero();

    assertThat(live.resolve("run-1/a/b/c.txt")).exists();
  }

  @Test
  void keepsWhatItCannotTellIsItsOwn() throws Exception {
    Path otherNamespace = homes(namespace + 1, deadPid, 4242);
    Path otherName = Files.createDirectories(temporary.resolve("stepguard-homes-123"));
    Path otherKind =
        Files.createDirectories(
            temporary.resolve("stepguard-other-" + namespace + "-" + deadPid + "-1-1"));
    Path target = Files.createDirectories(elsewhere.resolve("target"));
    Files.writeString(target.resolve("inside.txt"), "keep me");
    Path link =
        Files.createSymbolicLink(
            temporary.resolve("stepguard-homes-" + namespace + "-" + deadPid + "-1-1"), target);

    assertThat(PrivateHome.removeAbandoned(temporary)).isZero();

    assertThat(otherNamespace).isDirectory();
    assertThat(otherName).isDirectory();
    assertThat(otherKind).isDirectory();
    assertThat(link).isSymbolicLink();
    assertThat(target.resolve("inside.txt")).hasContent("keep me");
  }

  @Test
  void keepsAnotherUsersHomes() throws Exception {
    assumeTrue(Users.runningAsRoot(), "only root can give a directory to another user");
    Path theirs = homes(namespace, deadPid, 4242);
    UserPrincipal nobody =
        theirs.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(theirs, nobody);

    assertThat(PrivateHome.removeAbandoned(temporary)).isZero();

    assertThat(Files.getOwner(theirs, LinkOption.NOFOLLOW_LINKS)).isEqualTo(nobody);
  }

  @Test
  void keepsADirectoryWhosePidNoProcessCanHave() throws Exception {
    Path odd =
        Files.createDirectory(
            temporary.resolve("stepguard-homes-" + namespace + "-99999999999999999999-1-1"));

    assertThat(PrivateHome.removeAbandoned(temporary)).isZero();

    assertThat(odd).isDirectory();
  }

  @Test
  void findsNothingAbandonedInATemporaryDirectoryThatIsNotThere() {
    assertThat(PrivateHome.removeAbandoned(temporary.resolve("gone"))).isZero();
  }

  @Test
  void refusesASecondHomeForTheSameRunAndStillRemovesTheDirectoryOfHomesAfterTheFirst()
      throws Exception {
    String run = java.util.UUID.randomUUID().toString();
    PrivateHome home = PrivateHome.create(run);
    Path homes = home.path().getParent();

    assertThatThrownBy(() -> PrivateHome.create(run))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(home.path()).isDirectory();

    home.close();
    assertThat(homes).doesNotExist();
  }

  @Test
  void namesTheDirectoryOfHomesAfterItsProcess() throws Exception {
    PrivateHome home = PrivateHome.create(java.util.UUID.randomUUID().toString());
    try {
      long self = ProcessHandle.current().pid();
      assertThat(home.path().getParent().getFileName().toString())
          .startsWith(
              "stepguard-homes-"
                  + namespace
                  + "-"
                  + self
                  + "-"
                  + ProcessIdentities.startTicks(self).orElseThrow()
                  + "-");
    } finally {
      home.close();
    }
  }
}
