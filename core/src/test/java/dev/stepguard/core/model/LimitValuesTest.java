package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitValuesTest {
  @Test
  void replacesTheNamedLimitsWithoutParsingText() {
    LimitValues values = new LimitValues(Map.of("memory", 256L << 20, "cpuTime", 2_000L));

    Limits limits = values.over(Limits.defaults(30_000));

    assertThat(limits.memoryBytes()).isEqualTo(256L << 20);
    assertThat(limits.cpuTimeMs()).isEqualTo(2_000);
    assertThat(limits.openFiles()).isEqualTo(Limits.defaults(30_000).openFiles());
  }

  @Test
  void noneLeavesTheBaseAsItIs() {
    assertThat(LimitValues.NONE.over(Limits.defaults(30_000))).isEqualTo(Limits.defaults(30_000));
  }

  @Test
  void parsesAsApplyDoes() {
    long memory = LimitOverrides.parse("memory", "512MiB");

    assertThat(new LimitValues(Map.of("memory", memory)).over(Limits.defaults(1000)))
        .isEqualTo(LimitOverrides.apply(Limits.defaults(1000), Map.of("memory", "512MiB")));
  }

  @Test
  void refusesAnUnknownNameOrAValueOverItsCeiling() {
    assertThatThrownBy(() -> new LimitValues(Map.of("cpu", 1L)))
        .hasMessageContaining("unknown limit 'cpu'");
    assertThatThrownBy(() -> new LimitValues(Map.of("processes", Long.MAX_VALUE)))
        .hasMessageContaining("over its ceiling");
    assertThatThrownBy(() -> new LimitValues(Map.of("openFiles", 0L)))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> LimitOverrides.parse("cpu", "1s"))
        .hasMessageContaining("unknown limit 'cpu'");
  }
}
