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

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65})
  void refusesAWarmPoolOutOfBounds(int pool) {
    assertThatThrownBy(() -> new ProcessSettings.Warm(true, pool))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warm.pool must be from 1 to 64");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 64})
  void keepsTheWarmSettingsGiven(int pool) {
    ProcessSettings settings =
        new ProcessSettings(Path.of("/p"), "python3")
            .withWarm(new ProcessSettings.Warm(true, pool));

    assertThat(settings.warm()).isEqualTo(new ProcessSettings.Warm(true, pool));
    assertThat(new ProcessSettings(Path.of("/p"), "python3").warm().enabled()).isFalse();
  }
}
