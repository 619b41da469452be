package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery adopts only a project of the user who runs stepguard, as git adopts a repository. */
class ProjectOwnershipTest {
  @TempDir Path temp;

  private int uidOf(Path path) throws Exception {
    return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  @Test
  void adoptsTheNearestProjectOfTheSameUser() throws Exception {
    Path project = Files.createDirectories(temp.resolve("proj"));
    Files.writeString(project.resolve("stepguard.yaml"), "timeout: 5s\n");
    Path sub = Files.createDirectories(project.resolve("scripts/deep"));

    Path found = ProjectDiscovery.find(sub, Optional.of(uidOf(project.resolve("stepguard.yaml"))));

    assertThat(found).isEqualTo(project);
  }

  @Test
  void refusesAProjectWhoseMarkerBelongsToAnotherUserAndSaysHowToNameIt() throws Exception {
    Path shared = Files.createDirectories(temp.resolve("shared"));
    Path state = Files.createDirectory(shared.resolve(".stepguard"));
    Path sub = Files.createDirectories(shared.resolve("mine"));
    Optional<Integer> someoneElse = Optional.of(uidOf(state) + 1);

    assertThatThrownBy(() -> ProjectDiscovery.find(sub, someoneElse))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(state + " belongs to another user")
        .hasMessageContaining("--project " + shared)
        .hasMessageContaining("--project .");
  }

  @Test
  void adoptsTheProjectItsUserMadeWhoeverRunsIt() throws Exception {
    Path project = Files.createDirectories(temp.resolve("made"));
    Files.createDirectory(project.resolve(".stepguard"));
    Path sub = Files.createDirectories(project.resolve("scripts"));

    assertThat(ProjectDiscovery.currentUser()).contains(uidOf(project.resolve(".stepguard")));
    assertThat(ProjectDiscovery.find(sub)).isEqualTo(project);
  }

  @Test
  void usesWhereTheUserStandsWhenNoProjectIsAbove() throws Exception {
    Path alone = Files.createDirectories(temp.resolve("alone/here"));

    assertThat(ProjectDiscovery.find(alone, Optional.of(uidOf(alone)))).isEqualTo(alone);
  }
}
