package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Case 35 and 48 in the model: no value over its ceiling gets in, whoever builds it. */
class CeilingsTest {
  @ParameterizedTest
  @CsvSource({
    "cpuTime, 1000000d, 31d",
    "cpuTime, 999999999999d, 31d",
    "memory, 99999999999GiB, too large",
    "memory, 2048GiB, 1024GiB",
    "fileSize, 2048GiB, 1024GiB",
    "openFiles, 99999999999, 1048576",
    "processes, 100000, 32768",
    "stdout, 2GiB, 256MiB",
    "stderrTail, 1GiB, 16MiB",
    "input, 65MiB, 64MiB",
    "jsonDepth, 99999999999, 1000",
    "tmp, 2GiB, 1GiB"
  })
  void refusesEachLimitOverItsCeilingNamingIt(String name, String value, String ceiling) {
    assertThat(LimitOverrides.problemWith(name, value)).get().asString().contains(ceiling);
    assertThatThrownBy(() -> LimitOverrides.apply(Limits.defaults(1000), Map.of(name, value)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsEachLimitAtItsCeiling() {
    Ceilings.LIMITS.forEach(
        (name, ceiling) ->
            assertThat(
                    LimitOverrides.problemWith(
                        name, name.equals("cpuTime") ? ceiling + "ms" : String.valueOf(ceiling)))
                .as(name)
                .isEmpty());
  }

  @Test
  void limitsRefuseValuesOverTheCeilingsHoweverBuilt() {
    Limits d = Limits.defaults(1000);
    assertThatThrownBy(
            () ->
                new Limits(
                    d.cpuTimeMs(),
                    d.memoryBytes(),
                    d.fileSizeBytes(),
                    d.openFiles(),
                    d.processes(),
                    d.stdoutBytes(),
                    1L << 30,
                    d.inputBytes(),
                    d.jsonDepth(),
                    d.tmpBytes()))
        .hasMessageContaining("stderrTail")
        .hasMessageContaining("16MiB");
    assertThatThrownBy(() -> d.withCpuTimeMs(Duration.ofDays(32).toMillis()))
        .hasMessageContaining("cpuTime");
  }

  @Test
  void refusesADurationOverItsCeilingNamingBoth() {
    assertThat(Ceilings.check("the timeout", Duration.ofDays(30), Ceilings.TIMEOUT))
        .isEqualTo(Duration.ofDays(30));
    assertThatThrownBy(
            () -> Ceilings.check("the timeout", Duration.ofDays(1_000_000), Ceilings.TIMEOUT))
        .hasMessage("the timeout 1000000d is over its ceiling of 30d (the most stepguard allows)");
  }

  @Test
  void aRequestCannotCarryATimeoutOrGraceOverTheCeilings() {
    Requester cli = Requester.cli("ada");
    Limits limits = Limits.defaults(1000);
    assertThatThrownBy(
            () ->
                ExecutionRequest.standalone(
                    "a.py", "{}", Duration.ofDays(31), Duration.ofSeconds(1), limits, cli))
        .hasMessageContaining("timeout");
    assertThatThrownBy(
            () ->
                ExecutionRequest.standalone(
                    "a.py", "{}", Duration.ofSeconds(1), Duration.ofHours(2), limits, cli))
        .hasMessageContaining("grace");
  }

  @Test
  void theLongestTimeoutPlusTheLongestGraceFitsUnderTheCpuCeiling() {
    assertThat(Ceilings.TIMEOUT.plus(Ceilings.GRACE)).isLessThanOrEqualTo(Ceilings.CPU_TIME);
  }
}
