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
        .contains("outside the project")
        .doesNotContain("proj-evil");
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

  /**
   * A project whose links lead to {@code host/} (outside it), and {@code host/} holding either
   * everything the links name or nothing at all.
   */
  private FilesystemPathPolicy hostLinks(Path base, boolean hostFilesExist) throws Exception {
    TestProject project = new TestProject(base);
    Path host = base.resolve("host");
    java.nio.file.Files.createDirectories(host);
    if (hostFilesExist) {
      project.file(host.resolve("etc/shadow.py"), "secret");
      project.file(host.resolve("dir/x.py"), "secret");
      project.file(host.resolve("x.py"), "secret");
      java.nio.file.Files.createDirectories(host.resolve("secretdir"));
    }
    project.directory("sub");
    project.link("root", Path.of("/"));
    project.link("hostlink", host);
    project.link("hostfile.py", host.resolve("x.py"));
    project.link("chain1", Path.of("chain2"));
    project.link("chain2", Path.of("hostlink"));
    project.link("relative", Path.of("../host"));
    project.link("escape", Path.of("sub/../.."));
    project.link("dotdot", host.resolve("secretdir/.."));
    project.link("through", Path.of("hostlink/secretdir/../../proj/sub"));
    project.link("sub/up", Path.of("../../host/x.py"));
    return new FilesystemPathPolicy(project.root());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "root/etc/shadow.py",
        "root/home/x/secret.py",
        "hostlink/etc/shadow.py",
        "hostlink/dir/x.py",
        "hostlink/x.py",
        "hostfile.py",
        "chain1/x.py",
        "chain1/dir/x.py",
        "relative/x.py",
        "escape/host/x.py",
        "dotdot/host/x.py",
        "through/x.py",
        "sub/up"
      })
  void aLinkOutOfTheProjectGetsTheSameAnswerWhetherItsTargetExistsOrNot(String script)
      throws Exception {
    String name = script.endsWith(".py") ? script : null;
    FilesystemPathPolicy existing = hostLinks(temp.resolve("with"), true);
    FilesystemPathPolicy missing = hostLinks(temp.resolve("without"), false);

    String onExisting =
        name == null ? existing.inputPathProblem(script).orElseThrow() : refusal(existing, script);
    String onMissing =
        name == null ? missing.inputPathProblem(script).orElseThrow() : refusal(missing, script);

    assertThat(onExisting)
        .isEqualTo(onMissing)
        .isEqualTo(
            script + " goes through a symbolic link that leads outside the project or to nothing");
  }

  @Test
  void aDanglingLinkIsRefusedLikeALinkOutOfTheProject() throws Exception {
    TestProject project = new TestProject(temp);
    project.link("gone.py", temp.resolve("nothing.py"));
    project.link("inside.py", project.root().resolve("missing.py"));

    FilesystemPathPolicy policy = new FilesystemPathPolicy(project.root());

    assertThat(refusal(policy, "gone.py")).endsWith("leads outside the project or to nothing");
    assertThat(refusal(policy, "inside.py")).endsWith("leads outside the project or to nothing");
  }

  @Test
  void anInputPathThroughALinkOutOfTheProjectIsRefusedLikeAScript() throws Exception {
    FilesystemPathPolicy policy = hostLinks(temp, true);

    assertThat(policy.inputPathProblem("hostlink/dir"))
        .contains(
            "hostlink/dir goes through a symbolic link that leads outside the project or to nothing");
    assertThat(policy.inputPathProblem("sub")).isEmpty();
  }

  @Test
  void aLinkChainThatStaysInsideNamesTheRealPath() {
    TestProject project = new TestProject(temp).script("real/a.py", "print('{}')");
    project.link("one", Path.of("two"));
    project.link("two", Path.of("real/../real"));

    assertThat(refusal(new FilesystemPathPolicy(project.root()), "one/a.py"))
        .endsWith("name the file by its real path, real/a.py");
  }

  @Test
  void aLinkLoopIsRefusedWithoutHanging() {
    TestProject project = new TestProject(temp);
    project.link("a", Path.of("b"));
    project.link("b", Path.of("a"));

    assertThat(refusal(new FilesystemPathPolicy(project.root()), "a/x.py"))
        .contains("symbolic link");
  }
}
