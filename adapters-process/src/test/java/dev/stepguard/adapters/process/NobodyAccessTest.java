package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What nobody, the sandboxed script's user when stepguard is root, can reach. */
class NobodyAccessTest {
  private static final int NOBODY = SandboxProcessLauncher.NOBODY;

  @TempDir Path temp;
  private Path root;

  @BeforeEach
  void createProject() throws Exception {
    root = new TestProject(temp).script("steps/run.py", "print('{}')\n").root();
  }

  private static void mode(Path path, String permissions) throws Exception {
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
  }

  @Test
  void judgesByTheClassThatAppliesToNobody() {
    assertThat(NobodyAccess.allows(0700, NOBODY, 0, 5)).isTrue();
    assertThat(NobodyAccess.allows(0700, 0, 0, 5)).isFalse();
    assertThat(NobodyAccess.allows(0750, 0, NOBODY, 5)).isTrue();
    assertThat(NobodyAccess.allows(0705, 0, 0, 5)).isTrue();
    assertThat(NobodyAccess.allows(0701, 0, 0, 5)).isFalse();
    assertThat(NobodyAccess.allows(0007, NOBODY, 0, 4)).isFalse();
  }

  @Test
  void acceptsAProjectOthersCanRead() {
    assertThat(NobodyAccess.problem(root, "steps/run.py", List.of())).isEmpty();
  }

  @Test
  void saysWhatToChangeInAPrivateProject() throws Exception {
    mode(root, "rwx------");

    assertThat(NobodyAccess.problem(root, "steps/run.py", List.of()))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .startsWith(
                        "the sandboxed script runs as nobody (uid 65534), which cannot read "
                            + root
                            + " (mode 0700, owner ")
                    .contains(
                        "make it readable (chmod o+rx " + root + ", and o+r for its scripts)",
                        "run stepguard as an ordinary user",
                        "--isolation process"));
  }

  @Test
  void namesAPrivateDirectoryOnTheWayToTheScript() throws Exception {
    mode(root.resolve("steps"), "rwx--x--x");

    assertThat(NobodyAccess.problem(root, "steps/run.py", List.of()))
        .hasValueSatisfying(
            problem -> assertThat(problem).contains("chmod o+rx " + root.resolve("steps") + ")"));
  }

  @Test
  void namesAScriptOthersCannotRead() throws Exception {
    mode(root.resolve("steps/run.py"), "rw-------");

    assertThat(NobodyAccess.problem(root, "steps/run.py", List.of()))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .contains("mode 0600", "chmod o+r " + root.resolve("steps/run.py") + ")"));
  }

  @Test
  void namesAnInterpreterInstallationOthersCannotRead() throws Exception {
    Path prefix = Files.createDirectories(temp.resolve("python"));
    mode(prefix, "rwx------");

    assertThat(NobodyAccess.problem(root, "steps/run.py", List.of(prefix)))
        .hasValueSatisfying(problem -> assertThat(problem).contains("chmod -R o+rX " + prefix));
  }
}
