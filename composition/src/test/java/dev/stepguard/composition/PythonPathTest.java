package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** pythonPath names directories inside the project, and only those. */
class PythonPathTest {
  private static final String AT = "stepguard.yaml:3:1: ";

  @TempDir Path temp;

  private Path project() throws Exception {
    Path project = Files.createDirectories(temp.resolve("proj"));
    Files.createDirectories(project.resolve("lib/inner"));
    Files.createDirectories(project.resolve(".stepguard"));
    Files.writeString(project.resolve("file.txt"), "not a directory");
    return project;
  }

  @Test
  void takesDirectoriesInsideTheProjectAndLinksThatStayInside() throws Exception {
    Path project = project();
    Files.createSymbolicLink(project.resolve("alias"), project.resolve("lib"));

    PythonPath.check(List.of("lib", "lib/inner", ".", "alias"), project, AT);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "' '|is empty",
        "/etc|is absolute",
        "../elsewhere|leads outside the project with '..'",
        "lib/../../elsewhere|leads outside the project with '..'",
        ".stepguard|is inside stepguard's own .stepguard",
        "missing|does not exist in the project",
        "file.txt|is not a directory",
      })
  void refusesAnEntryAtTheKeysPlaceSayingWhy(String entry, String why) throws Exception {
    Path project = project();

    assertThatThrownBy(() -> PythonPath.check(List.of(entry), project, AT))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(AT + "pythonPath entry '" + entry.strip())
        .hasMessageContaining(why);
  }

  @Test
  void refusesALinkOutOfTheProjectAndALinkIntoStepguardsDirectory() throws Exception {
    Path project = project();
    Path outside = Files.createDirectories(temp.resolve("outside"));
    Files.createSymbolicLink(project.resolve("out"), outside);
    Files.createSymbolicLink(project.resolve("state"), project.resolve(".stepguard"));

    assertThatThrownBy(() -> PythonPath.check(List.of("out"), project, AT))
        .hasMessageContaining("leads outside the project through a symbolic link");
    assertThatThrownBy(() -> PythonPath.check(List.of("state"), project, AT))
        .hasMessageContaining("is inside stepguard's own .stepguard");
  }

  @Test
  void readsTheEntriesOfAProjectFileNormalized() throws Exception {
    Path project = project();
    Files.writeString(project.resolve("stepguard.yaml"), "pythonPath: [lib/, ./lib/inner, .]\n");

    Settings settings =
        ConfigLoader.load(project, OperatorConfig.load(Optional.empty())).settings();

    assertThat(settings.pythonPath()).containsExactly("lib", "lib/inner", ".");
  }

  @Test
  void anEntryThroughALinkOutOfTheProjectGetsTheSameAnswerWhetherItsTargetExistsOrNot()
      throws Exception {
    Path project = project();
    Path host = Files.createDirectories(temp.resolve("host/there"));
    Files.createSymbolicLink(project.resolve("root"), Path.of("/"));

    String existing = refusal("root" + host, project);
    String missing = refusal("root" + host.resolveSibling("missing"), project);

    assertThat(existing.replace("there", "NAME"))
        .isEqualTo(missing.replace("missing", "NAME"))
        .contains("leads outside the project through a symbolic link")
        .doesNotContain("does not exist", "not a directory");
  }

  private static String refusal(String entry, Path project) {
    try {
      PythonPath.check(List.of(entry), project, AT);
    } catch (ConfigurationException e) {
      return e.getMessage();
    }
    throw new AssertionError(entry + " was accepted");
  }
}
