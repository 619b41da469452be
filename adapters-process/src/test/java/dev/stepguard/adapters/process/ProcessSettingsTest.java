package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The launchers put only project directories on {@code sys.path}, whoever builds the settings. */
class ProcessSettingsTest {
  @ParameterizedTest
  @ValueSource(strings = {"/usr/lib", "..", "lib/../..", "", "a\0b"})
  void aPythonPathEntryOutsideTheProjectIsRefused(String entry) {
    assertThatThrownBy(
            () -> new ProcessSettings(Path.of("/p"), "python3", List.of(), List.of(entry)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pythonPath entry");
  }

  @ParameterizedTest
  @ValueSource(strings = {"lib", ".", "lib/../vendor", "src/lib"})
  void aPythonPathEntryInsideTheProjectIsKept(String entry) {
    assertThat(
            new ProcessSettings(Path.of("/p"), "python3", List.of(), List.of(entry)).pythonPath())
        .containsExactly(entry);
  }
}
