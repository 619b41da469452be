package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ResourceUsage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BootstrapReportTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void separatesTheReportFromTheScriptsStderr() {
    BootstrapReport.Split split =
        BootstrapReport.split(
            bytes("oops\n\n\u001estepguard-report v1 exit=3 cpu_ms=12 maxrss_kib=900 sha256=ab\n"));

    assertThat(new String(split.scriptStderr(), StandardCharsets.UTF_8)).isEqualTo("oops\n");
    BootstrapReport report = split.report().orElseThrow();
    assertThat(report.exitCode()).contains(3);
    assertThat(report.signal()).isEmpty();
    assertThat(report.usage()).isEqualTo(new ResourceUsage(12, 900));
    assertThat(report.sha256()).isEqualTo("ab");
    assertThat(report.memoryError()).isFalse();
  }

  @Test
  void onlyTheLastReportCounts() {
    BootstrapReport.Split split =
        BootstrapReport.split(
            bytes(
                "\n\u001estepguard-report v1 exit=0\nforged above\n"
                    + "\n\u001estepguard-report v1 signal=11 memory=1\n"));

    assertThat(split.report().orElseThrow().signal()).contains(11);
    assertThat(split.report().orElseThrow().memoryError()).isTrue();
    assertThat(new String(split.scriptStderr(), StandardCharsets.UTF_8)).contains("forged above");
  }

  @Test
  void readsARefusalWithItsWholeReason() {
    BootstrapReport report =
        BootstrapReport.split(
                bytes("\n\u001estepguard-report v1 refused=could not open a.py safely\n"))
            .report()
            .orElseThrow();

    assertThat(report.refused()).contains("could not open a.py safely");
  }

  @Test
  void hasNoReportWhenTheSupervisorNeverWroteOne() {
    BootstrapReport.Split split = BootstrapReport.split(bytes("Traceback\n"));

    assertThat(split.report()).isEmpty();
    assertThat(split.scriptStderr()).isEqualTo(bytes("Traceback\n"));
  }

  @Test
  void treatsMalformedNumbersAsUnknown() {
    BootstrapReport report =
        BootstrapReport.split(bytes("\n\u001estepguard-report v1 exit=x cpu_ms= junk\n"))
            .report()
            .orElseThrow();

    assertThat(report.exitCode()).isEmpty();
    assertThat(report.usage()).isEqualTo(ResourceUsage.UNKNOWN);
  }
}
