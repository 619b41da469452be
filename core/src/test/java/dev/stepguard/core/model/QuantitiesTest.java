package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

  @Test
  void readsTheDurationsOfTheContract() {
    assertThat(Quantities.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Quantities.duration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Quantities.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Quantities.duration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Quantities.duration("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(Quantities.duration(" 10S ")).isEqualTo(Duration.ofSeconds(10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "s", "1.5s", "-1s", "10w", "0s"})
  void refusesOtherDurationsAndSaysWhatItAccepts(String text) {
    assertThatThrownBy(() -> Quantities.duration(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void refusesAMissingDuration() {
    assertThatThrownBy(() -> Quantities.duration(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsSizesInBinaryUnits() {
    assertThat(Quantities.bytes("4096")).isEqualTo(4096);
    assertThat(Quantities.bytes("12B")).isEqualTo(12);
    assertThat(Quantities.bytes("512KiB")).isEqualTo(512 * 1024);
    assertThat(Quantities.bytes("64MiB")).isEqualTo(64L * 1024 * 1024);
    assertThat(Quantities.bytes("1GiB")).isEqualTo(1024L * 1024 * 1024);
    assertThat(Quantities.bytes("2G")).isEqualTo(2L * 1024 * 1024 * 1024);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MiB", "1.5GiB", "-1", "0", "10 parsecs"})
  void refusesOtherSizes(String text) {
    assertThatThrownBy(() -> Quantities.bytes(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"1GB, 1GiB", "512MB, 512MiB", "64KB, 64KiB", "1 gb, 1GiB", "2kB, 2KiB"})
  void refusesDecimalLookingUnitsAndNamesTheBinaryOne(String text, String binary) {
    assertThatThrownBy(() -> Quantities.bytes(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is ambiguous: write " + binary);
  }

  @ParameterizedTest
  @ValueSource(strings = {"999999999999999G", "99999999999GiB", "9999999999999M"})
  void refusesSizesThatOverflowSayingSo(String text) {
    assertThatThrownBy(() -> Quantities.bytes(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "' is too large");
  }

  @Test
  void writesDurationsAndSizesAsUsersWriteThem() {
    assertThat(Quantities.text(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(Quantities.text(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Quantities.text(Duration.ofMinutes(3))).isEqualTo("3m");
    assertThat(Quantities.text(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Quantities.text(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Quantities.bytesText(1L << 30)).isEqualTo("1GiB");
    assertThat(Quantities.bytesText(256L << 20)).isEqualTo("256MiB");
    assertThat(Quantities.bytesText(64L << 10)).isEqualTo("64KiB");
    assertThat(Quantities.bytesText(1000)).isEqualTo("1000B");
  }
}
