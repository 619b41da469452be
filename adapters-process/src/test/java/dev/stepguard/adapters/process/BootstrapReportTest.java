package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.model.ResourceUsage;
import dev.stepguard.core.port.LaunchResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BootstrapReportTest {
  private static final String START = "\n\u001estepguard-start v1 sha256=ab12\n";

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static BootstrapReport.Split split(String stderr) {
    return BootstrapReport.split(bytes(stderr), bytes(stderr), true);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void cutsTheBootstrapsLinesOutOfTheScriptsStderr() {
    BootstrapReport.Split split =
        split(START + "oops\n\n\u001estepguard-end v1 exit=3 cpu_ms=12 maxrss_kib=900 memory=0\n");

    assertThat(text(split.scriptStderr())).isEqualTo("oops\n");
    BootstrapReport report = split.report();
    assertThat(report.sha256()).contains("ab12");
    assertThat(report.confirmedExit(3)).contains(3);
    assertThat(report.usage()).isEqualTo(new ResourceUsage(12, 900));
    assertThat(report.memoryError()).isFalse();
  }

  @Test
  void ignoresAnEndLineThatDisagreesWithTheRealExitStatus() {
    BootstrapReport report = split(START + "\n\u001estepguard-end v1 exit=0 memory=1\n").report();

    assertThat(report.confirmedExit(139)).isEmpty();
    assertThat(report.confirmedExit(0)).contains(0);
    assertThat(report.memoryError()).isTrue();
  }

  @Test
  void takesTheShaOnlyFromTheFirstLine() {
    BootstrapReport report =
        split("forged first\n\n\u001estepguard-start v1 sha256=forged\n").report();

    assertThat(report.sha256()).isEmpty();
  }

  @Test
  void anUnconfinedBootstrapMeansTheScriptDidNotStart() {
    String line = "\n\u001estepguard-unconfined v1 no system call filter for riscv64\n";
    BootstrapReport.Split split = split(line);
    ProcessRunner.Observation seen =
        new ProcessRunner.Observation(
            125, false, false, 0, false, new byte[0], bytes(line), bytes(line), true);

    LaunchResult result =
        LaunchEndings.of(
            seen,
            new Interpreter("/usr/bin/python3", "3.11.2"),
            Limits.defaults(1000),
            new RunCgroup.Reading(ResourceCap.PROCESS, ResourceCap.USER, -1, false));

    assertThat(split.report().unconfined()).contains("no system call filter for riscv64");
    assertThat(split.scriptStderr()).isEmpty();
    assertThat(((LaunchResult.NotStarted) result).reason())
        .contains("could not forbid user namespaces", "riscv64", "--isolation process");
  }

  @Test
  void readsARefusalWithItsWholeReason() {
    BootstrapReport.Split split =
        split("\n\u001estepguard-refused v1 could not open a.py safely: a link appeared\n");

    assertThat(split.report().refused()).contains("could not open a.py safely: a link appeared");
    assertThat(split.scriptStderr()).isEmpty();
  }

  @Test
  void keepsAStartLineInATruncatedTailOutOfTheCut() {
    BootstrapReport.Split split =
        BootstrapReport.split(bytes(START + "first"), bytes("...last lines\n"), false);

    assertThat(split.report().sha256()).contains("ab12");
    assertThat(text(split.scriptStderr())).isEqualTo("...last lines\n");
  }

  @Test
  void hasNothingWhenTheBootstrapNeverRan() {
    BootstrapReport.Split split = split("Traceback\n");

    assertThat(split.report().sha256()).isEmpty();
    assertThat(split.report().refused()).isEmpty();
    assertThat(split.report().confirmedExit(1)).isEmpty();
    assertThat(split.report().usage()).isEqualTo(ResourceUsage.UNKNOWN);
    assertThat(text(split.scriptStderr())).isEqualTo("Traceback\n");
  }

  @Test
  void treatsMalformedNumbersAsUnknown() {
    BootstrapReport report = split("\n\u001estepguard-end v1 exit=x cpu_ms= junk\n").report();

    assertThat(report.confirmedExit(0)).isEmpty();
    assertThat(report.usage()).isEqualTo(ResourceUsage.UNKNOWN);
  }

  @Test
  void toleratesAnEndLineWithoutNewline() {
    BootstrapReport.Split split = split("text\n\u001estepguard-end v1 exit=0");

    assertThat(split.report().confirmedExit(0)).contains(0);
    assertThat(text(split.scriptStderr())).isEqualTo("text");
  }
}
