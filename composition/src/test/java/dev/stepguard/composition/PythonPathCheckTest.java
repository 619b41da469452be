package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pythonPath entry is checked against the project on disk, with the reason in words. */
class PythonPathCheckTest {
  @TempDir Path temp;

  private Path project() throws Exception {
    Path root = Files.createDirectories(temp.resolve("p"));
    Files.createDirectories(root.resolve("lib"));
    Files.writeString(root.resolve("notes.txt"), "x");
    Files.createDirectories(root.resolve(".stepguard/inner"));
    Files.createSymbolicLink(root.resolve("out"), temp);
    return root;
  }

  @Test
  void refusesAnEntryThatIsMissingAFileOrAbsolute() throws Exception {
    Path root = project();

    assertThatThrownBy(() -> PythonPath.check(List.of("nope"), root, "f:1:1: "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> PythonPath.check(List.of("notes.txt"), root, "f:1:1: "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is not a directory");
    assertThatThrownBy(() -> PythonPath.check(List.of("notes.txt/x"), root, "f:1:1: "))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> PythonPath.check(List.of("/etc"), root, "f:1:1: "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is absolute");
  }

  @Test
  void refusesAnEntryThroughALinkOutOrIntoStepguardsOwnDirectory() throws Exception {
    Path root = project();

    assertThatThrownBy(() -> PythonPath.check(List.of("out"), root, "f:1:1: "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("symbolic link");
    assertThatThrownBy(() -> PythonPath.check(List.of("lib/../.stepguard/inner"), root, "f:1:1: "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(".stepguard");
    assertThatThrownBy(() -> PythonPath.check(List.of(""), root, "f:1:1: "))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is empty");
  }
}
