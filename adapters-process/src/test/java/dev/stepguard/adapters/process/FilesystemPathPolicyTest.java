package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepguard.core.fixtures.PathPolicyContract;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ScriptResolution;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemPathPolicyTest extends PathPolicyContract {
  @TempDir Path temp;

  @Override
  protected PathPolicy policyWith(Set<String> files, Set<String> directories) {
    TestProject project = new TestProject(temp);
    directories.forEach(project::directory);
    files.forEach(file -> project.script(file, "print('{}')\n"));
    return new FilesystemPathPolicy(project.root());
  }

  private String refusal(FilesystemPathPolicy policy, String script) {
    ScriptResolution resolution = policy.resolve(new ScriptPath(script));
    assertThat(resolution).isInstanceOf(ScriptResolution.Refused.class);
    return ((ScriptResolution.Refused) resolution).reason();
  }

  @Test
  void rejectsALinkToAFileOutsideTheProject() {
    TestProject project = new TestProject(temp);
    project.file(temp.resolve("outside.py"), "print('{}')");
    project.link("link.py", temp.resolve("outside.py"));

    assertThat(refusal(new FilesystemPathPolicy(project.root()), "link.py"))
        .contains("outside the project", "symbolic link");
  }

  @Test
  void rejectsADirectoryLinkThatLeavesTheProject() {
    TestProject project = new TestProject(temp);
    project.file(temp.resolve("elsewhere/x.py"), "print('{}')");
    project.link("lib", temp.resolve("elsewhere"));

    assertThat(refusal(new FilesystemPathPolicy(project.root()), "lib/x.py"))
        .contains("outside the project");
  }

  @Test
  void rejectsALinkIntoASiblingDirectoryThatSharesThePrefix() {
    TestProject project = new TestProject(temp);
    project.file(temp.resolve("proj-evil/a.py"), "print('{}')");
    project.link("evil", temp.resolve("proj-evil"));

    assertThat(refusal(new FilesystemPathPolicy(project.root()), "evil/a.py"))
        .contains("outside the project", "proj-evil");
  }

  @Test
  void rejectsALinkThatStaysInsideAndNamesTheRealPath() {
    TestProject project = new TestProject(temp).script("real/a.py", "print('{}')");
    project.link("alias", project.root().resolve("real"));

    assertThat(refusal(new FilesystemPathPolicy(project.root()), "alias/a.py"))
        .contains("goes through a symbolic link", "real/a.py");
  }

  @Test
  void rejectsSomethingThatIsNeitherFileNorDirectory() throws Exception {
    TestProject project = new TestProject(temp);
    Process mkfifo =
        new ProcessBuilder("mkfifo", project.root().resolve("pipe.py").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    assertThat(refusal(new FilesystemPathPolicy(project.root()), "pipe.py"))
        .contains("not a regular file");
  }

  @Test
  void rejectsAScriptUnderADirectoryItCannotRead() {
    TestProject project = new TestProject(temp).script("file.py", "x");

    assertThat(refusal(new FilesystemPathPolicy(project.root()), "file.py/inner.py"))
        .contains("cannot be read");
  }

  @Test
  void resolvesTheProjectRootThroughLinks() throws Exception {
    TestProject project = new TestProject(temp).script("a.py", "x");
    Path alias = java.nio.file.Files.createSymbolicLink(temp.resolve("alias"), project.root());

    FilesystemPathPolicy policy = new FilesystemPathPolicy(alias);

    assertThat(policy.projectRoot()).isEqualTo(project.root());
    assertThat(policy.resolve(new ScriptPath("a.py")))
        .isInstanceOf(ScriptResolution.Resolved.class);
  }

  @Test
  void refusesAProjectThatDoesNotExist() {
    assertThatThrownBy(() -> new FilesystemPathPolicy(temp.resolve("nope")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("nope");
  }
}
