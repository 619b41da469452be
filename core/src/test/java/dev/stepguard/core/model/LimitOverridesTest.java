package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitOverridesTest {
  @Test
  void replacesEveryNamedLimitAndLeavesTheRest() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("cpuTime", "2s");
    all.put("memory", "256MiB");
    all.put("fileSize", "1MiB");
    all.put("openFiles", "32");
    all.put("processes", "8");
    all.put("stdout", "2MiB");
    all.put("stderrTail", "4KiB");
    all.put("input", "1MiB");
    all.put("jsonDepth", "50");
    all.put("tmp", "8MiB");

    Limits limits = LimitOverrides.apply(Limits.defaults(30_000), all);

    assertThat(limits)
        .isEqualTo(
            new Limits(2_000, 256L << 20, 1L << 20, 32, 8, 2L << 20, 4096, 1L << 20, 50, 8L << 20));
    assertThat(LimitOverrides.apply(Limits.defaults(30_000), Map.of()))
        .isEqualTo(Limits.defaults(30_000));
  }

  @Test
  void saysWhatIsWrongWithANameOrAValue() {
    assertThat(LimitOverrides.problemWith("memory", "512MiB")).isEmpty();
    assertThat(LimitOverrides.problemWith("cpu", "1s")).get().asString().contains("unknown limit");
    assertThat(LimitOverrides.problemWith("openFiles", "many"))
        .get()
        .asString()
        .contains("not a whole number");
    assertThat(LimitOverrides.problemWith("processes", "0")).isPresent();
    assertThatThrownBy(() -> LimitOverrides.apply(Limits.defaults(1), Map.of("x", "1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
