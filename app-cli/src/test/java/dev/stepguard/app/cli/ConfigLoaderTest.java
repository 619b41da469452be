package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path project;

  private Settings load(String yaml) throws Exception {
    Files.writeString(project.resolve(ConfigLoader.FILE_NAME), yaml);
    return ConfigLoader.load(project);
  }

  @Test
  void usesTheDefaultsWithoutAFile() {
    Settings settings = ConfigLoader.load(project);

    assertThat(settings).isEqualTo(Settings.defaults());
    assertThat(settings.isolation()).isEqualTo(IsolationChoice.AUTO);
    assertThat(settings.limitsFor(Duration.ofSeconds(9)).cpuTimeMs()).isEqualTo(12_000);
  }

  @Test
  void usesTheDefaultsForAnEmptyFile() throws Exception {
    assertThat(load("")).isEqualTo(Settings.defaults());
    assertThat(load("# nothing set yet\n")).isEqualTo(Settings.defaults());
  }

  @Test
  void readsEverySetting() throws Exception {
    Settings settings =
        load(
            "python: /usr/bin/python3\nisolation: process\ntimeout: 2m\ngrace: 500ms\n"
                + "limits:\n  cpuTime: 10s\n  memory: 512MiB\n  fileSize: 1MiB\n  openFiles: 64\n"
                + "  processes: 16\n  stdout: 1MiB\n  stderrTail: 8KiB\n  input: 64KiB\n"
                + "  jsonDepth: 50\n  tmp: 16MiB\n"
                + "sandbox:\n  writable: [out, cache]\n");

    assertThat(settings.python()).isEqualTo("/usr/bin/python3");
    assertThat(settings.isolation()).isEqualTo(IsolationChoice.PROCESS);
    assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.grace()).isEqualTo(Duration.ofMillis(500));
    var limits = settings.limitsFor(settings.timeout());
    assertThat(limits.cpuTimeMs()).isEqualTo(10_000);
    assertThat(limits.memoryBytes()).isEqualTo(512L << 20);
    assertThat(limits.fileSizeBytes()).isEqualTo(1L << 20);
    assertThat(limits.openFiles()).isEqualTo(64);
    assertThat(limits.processes()).isEqualTo(16);
    assertThat(limits.stdoutBytes()).isEqualTo(1L << 20);
    assertThat(limits.stderrTailBytes()).isEqualTo(8L << 10);
    assertThat(limits.inputBytes()).isEqualTo(64L << 10);
    assertThat(limits.jsonDepth()).isEqualTo(50);
    assertThat(limits.tmpBytes()).isEqualTo(16L << 20);
    assertThat(settings.writable()).containsExactly("out", "cache");
  }

  @Test
  void readsTheHistorySection() throws Exception {
    Settings settings =
        load(
            "history:\n  url: jdbc:postgresql://db.internal/stepguard\n"
                + "  credentials: secrets/history.properties\n  redact: [pin, cvv]\n"
                + "  retention: 30d\n  keep: 500\n");

    HistoryOptions history = settings.history();
    assertThat(history.url()).contains("jdbc:postgresql://db.internal/stepguard");
    assertThat(history.credentials()).contains(project.resolve("secrets/history.properties"));
    assertThat(history.redact()).containsExactly("pin", "cvv");
    assertThat(history.retention()).contains(Duration.ofDays(30));
    assertThat(history.keep()).isEqualTo(500);
  }

  @Test
  void keepsTheDefaultSecretWordsAndKeepCountUnlessSet() throws Exception {
    HistoryOptions history = load("history:\n  retention: 12h\n").history();

    assertThat(history.redact()).contains("password", "token", "secret", "api_key");
    assertThat(history.keep()).isEqualTo(HistoryOptions.DEFAULT_KEEP);
    assertThat(history.url()).isEmpty();
  }

  @Test
  void refusesACredentialsFileWithoutAUrlAndANegativeKeep() {
    assertThatThrownBy(() -> load("history:\n  credentials: x.properties\n"))
        .hasMessageContaining("history.credentials needs history.url");
    assertThatThrownBy(() -> load("history:\n  keep: -1\n"))
        .hasMessageContaining("history.keep must not be negative");
  }

  @Test
  void reportsABadValueWithTheFile() {
    assertThatThrownBy(() -> load("timeout: forever\n"))
        .isInstanceOf(UsageError.class)
        .hasMessageContaining("stepguard.yaml")
        .hasMessageContaining("'forever' is not a duration");
  }

  @Test
  void reportsAnUnknownNestedKeyWhereItStands() {
    assertThatThrownBy(() -> load("limits:\n  memory: 1GiB\n  cpu: 2s\n"))
        .hasMessageContaining("stepguard.yaml:3:3: unknown key 'cpu'");
  }

  @Test
  void reportsBrokenYamlWithItsPosition() {
    assertThatThrownBy(() -> load("timeout: [1,\n"))
        .isInstanceOf(UsageError.class)
        .hasMessageContaining("stepguard.yaml:");
  }
}
