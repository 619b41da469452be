package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  @TempDir Path project;
  @TempDir Path operatorDirectory;

  private Path operatorFile() {
    return operatorDirectory.resolve("config.yaml");
  }

  private OperatorConfig operator() {
    return OperatorConfig.load(Optional.of(operatorFile()));
  }

  private ProjectConfig load(String yaml) throws Exception {
    Files.writeString(project.resolve(ConfigLoader.FILE_NAME), yaml);
    return ConfigLoader.load(project, operator());
  }

  private ProjectConfig trusted(String yaml) throws Exception {
    Files.writeString(project.resolve(ConfigLoader.FILE_NAME), yaml);
    ConfigText text = ConfigText.read(project.resolve(ConfigLoader.FILE_NAME), false).orElseThrow();
    operator().setTrust(ConfigLoader.realFile(project), text.sha256());
    return ConfigLoader.load(project, operator());
  }

  private static final String EVERY_SETTING =
      "python: /usr/bin/python3\nisolation: process\ntimeout: 2m\ngrace: 500ms\n"
          + "limits:\n  cpuTime: 10s\n  memory: 512MiB\n  fileSize: 1MiB\n  openFiles: 64\n"
          + "  processes: 16\n  stdout: 1MiB\n  stderrTail: 8KiB\n  input: 64KiB\n"
          + "  jsonDepth: 50\n  tmp: 16MiB\n"
          + "sandbox:\n  writable: [out, cache]\n";

  @Test
  void usesTheDefaultsWithoutAnyFile() {
    ProjectConfig config = ConfigLoader.load(project, operator());

    assertThat(config.settings()).isEqualTo(Settings.defaults());
    assertThat(config.trust()).isEqualTo(ProjectConfig.Trust.NO_FILE);
    assertThat(config.settings().limitsFor(Duration.ofSeconds(9)).cpuTimeMs()).isEqualTo(12_000);
  }

  @Test
  void usesTheDefaultsForAnEmptyFile() throws Exception {
    assertThat(load("").settings()).isEqualTo(Settings.defaults());
    assertThat(load("# nothing set yet\n").settings()).isEqualTo(Settings.defaults());
  }

  @Test
  void appliesEverySettingOfATrustedFile() throws Exception {
    ProjectConfig config = trusted(EVERY_SETTING);
    Settings settings = config.settings();

    assertThat(config.trust()).isEqualTo(ProjectConfig.Trust.TRUSTED);
    assertThat(config.notices()).isEmpty();
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
  void appliesWhatAnUntrustedFileTightensAndNamesWhatItWouldLoosen() throws Exception {
    ProjectConfig config = load(EVERY_SETTING);
    Settings settings = config.settings();

    assertThat(config.trust()).isEqualTo(ProjectConfig.Trust.UNTRUSTED);
    assertThat(settings.python()).isEqualTo("python3");
    assertThat(settings.isolation()).isEqualTo(IsolationChoice.AUTO);
    assertThat(settings.writable()).isEmpty();
    assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.grace()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.baseLimits().memoryBytes()).isEqualTo(512L << 20);
    assertThat(settings.baseLimits().jsonDepth()).isEqualTo(50);
    assertThat(config.notices())
        .containsExactly(
            project.resolve("stepguard.yaml")
                + ":1:1: 'python' is not applied: it loosens what the operator allows and this"
                + " stepguard.yaml is not trusted; review the file, then run 'stepguard trust"
                + " --project "
                + project
                + "' to apply it"
                // where the PATH's python3 is a pyenv shim, as on the machines that build this
                + (InterpreterFiles.wrapper("python3")
                    ? "; or, for a venv made from it: the operator's 'python3' is a wrapper script"
                        + " (a pyenv shim?), not the interpreter the venv links to: name that"
                        + " interpreter in the operator config ('stepguard doctor' shows its path)"
                        + " and the venv applies without trust"
                    : ""),
            project.resolve("stepguard.yaml")
                + ":2:1: 'isolation' is not applied: it loosens what the operator allows and"
                + " this stepguard.yaml is not trusted; review the file, then run 'stepguard"
                + " trust --project "
                + project
                + "' to apply it",
            project.resolve("stepguard.yaml")
                + ":17:3: 'sandbox.writable' is not applied: it loosens what the operator"
                + " allows and this stepguard.yaml is not trusted; review the file, then run"
                + " 'stepguard trust --project "
                + project
                + "' to apply it");
  }

  // Case 31, one key at a time: an untrusted stepguard.yaml applies only where it tightens
  // (docs/configuration.md, "What a project file may do without trust")
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "isolation: process|isolation",
        "python: ./fakepy|python",
        "python: /usr/bin/python3|python",
        "sandbox: {writable: [out]}|sandbox.writable",
        "history: {url: 'jdbc:h2:tcp://evil.example/x'}|history.url",
        "history: {retention: 1ms}|history.retention",
        "history: {keep: 0}|history.keep",
        "limits: {memory: 8GiB}|limits.memory",
        "limits: {processes: 1000}|limits.processes",
        "limits: {stderrTail: 1MiB}|limits.stderrTail",
        "limits: {cpuTime: 2h}|limits.cpuTime",
        "timeout: 2h|timeout",
        "grace: 1h|grace",
        "maxTimeout: 2d|maxTimeout",
        "env: {allow: [AWS_SECRET_ACCESS_KEY]}|env.allow",
        "http: {bind: 0.0.0.0}|http.bind",
        "http: {port: 18439}|http.port",
        "http: {slots: 1000}|http.slots",
        "http: {queue: 99999}|http.queue",
        "http: {drain: 1h}|http.drain",
        "warm: {enabled: true}|warm",
        "warm: {pool: 8}|warm"
      })
  void refusesEachLooseningKeyOfAnUntrustedFile(String yaml, String key) throws Exception {
    ProjectConfig config = load(yaml + "\n");

    assertThat(config.notices()).hasSize(1);
    assertThat(config.notices().get(0))
        .contains(
            "stepguard.yaml:1:",
            "'" + key + "' is not applied",
            "'stepguard trust --project " + project);
    Settings settings = config.settings();
    Settings defaults = Settings.defaults();
    assertThat(settings.isolation()).isEqualTo(defaults.isolation());
    assertThat(settings.python()).isEqualTo(defaults.python());
    assertThat(settings.baseLimits()).isEqualTo(defaults.baseLimits());
    assertThat(settings.writable()).isEmpty();
    assertThat(settings.history().url()).isEmpty();
    assertThat(settings.history().retention()).isEmpty();
    assertThat(settings.history().keep()).isEqualTo(defaults.history().keep());
    assertThat(settings.maxTimeout()).isEqualTo(defaults.maxTimeout());
    assertThat(settings.timeout()).isEqualTo(defaults.timeout());
    assertThat(settings.grace()).isEqualTo(defaults.grace());
    assertThat(settings.cpuTimeMs()).isEqualTo(defaults.cpuTimeMs());
    assertThat(settings.envAllow()).isEmpty();
    assertThat(settings.http()).isEqualTo(defaults.http());
    assertThat(settings.warm()).isEqualTo(defaults.warm());
  }

  @Test
  void readsWarmInterpretersFromTheOperatorConfigOffForTheCliAndOnForTheServer() throws Exception {
    Settings defaults = load("").settings();
    assertThat(defaults.warm().on()).as("the CLI's default").isFalse();
    assertThat(defaults.forServer().warm().on()).as("the server's default").isTrue();

    Files.writeString(operatorFile(), "warm: {enabled: false, pool: 9}\n");
    Settings off = load("").settings();

    assertThat(off.warm().pool()).isEqualTo(9);
    assertThat(off.forServer().warm().on()).as("turned off for the server too").isFalse();
    Files.writeString(operatorFile(), "warm: {enabled: true}\n");
    assertThat(load("").settings().warm().on()).isTrue();
  }

  @Test
  void refusesAWarmPoolOutOfBounds() throws Exception {
    Files.writeString(operatorFile(), "warm: {pool: 65}\n");

    assertThatThrownBy(() -> load(""))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("warm.pool must be from 1 to 64, was 65");
  }

  @Test
  void appliesWhatTheOperatorAlreadyAllows() throws Exception {
    Files.writeString(
        operatorFile(),
        "isolation: process\nlimits: {memory: 4GiB}\nsandbox: {writable: [out, cache]}\n"
            + "env: {allow: [TZ, AWS_REGION]}\n");

    ProjectConfig config =
        load(
            "isolation: sandbox\nlimits: {memory: 2GiB}\nsandbox: {writable: [out]}\n"
                + "env: {allow: [TZ]}\n");

    assertThat(config.notices()).isEmpty();
    assertThat(config.settings().isolation()).isEqualTo(IsolationChoice.SANDBOX);
    assertThat(config.settings().baseLimits().memoryBytes()).isEqualTo(2L << 30);
    assertThat(config.settings().writable()).containsExactly("out");
    assertThat(config.settings().envAllow()).containsExactly("TZ");
  }

  // Case 30 of docs/security.md: a venv whose python links to the operator's interpreter runs that
  // binary
  @Test
  void appliesAVenvOfTheOperatorsInterpreterButNoOtherInterpreterOfTheProject() throws Exception {
    Path system = Path.of("/usr/bin/python3").toRealPath();
    Files.writeString(operatorFile(), "python: " + system + "\n");
    Path bin = Files.createDirectories(project.resolve(".venv/bin"));
    Files.createSymbolicLink(bin.resolve("python"), system);
    Path fake = project.resolve("fakepy");
    Files.writeString(fake, "#!/bin/sh\ntouch marker\n");
    Files.createSymbolicLink(bin.resolve("python-fake"), fake);

    Path hostBin = Files.createDirectories(operatorDirectory.resolve("hostapp/bin"));
    Files.createSymbolicLink(hostBin.resolve("python"), system);
    ProjectConfig hostVenv = load("python: " + hostBin.resolve("python") + "\n");
    ProjectConfig venv = load("python: .venv/bin/python\n");
    ProjectConfig linked = load("python: .venv/bin/python-fake\n");
    ProjectConfig script = load("python: ./fakepy\n");

    assertThat(venv.notices()).isEmpty();
    assertThat(venv.settings().python()).isEqualTo(project.resolve(".venv/bin/python").toString());
    for (ProjectConfig refused : java.util.List.of(linked, script, hostVenv)) {
      assertThat(refused.notices()).singleElement().asString().contains("'python' is not applied");
      assertThat(refused.settings().python()).isEqualTo(system.toString());
    }
  }

  @Test
  void anEditAfterTrustingMakesTheFileUntrustedAgain() throws Exception {
    trusted("isolation: process\n");

    ProjectConfig edited = load("isolation: process\n# harmless?\n");

    assertThat(edited.trust()).isEqualTo(ProjectConfig.Trust.CHANGED);
    assertThat(edited.settings().isolation()).isEqualTo(IsolationChoice.AUTO);
    assertThat(edited.notices())
        .singleElement()
        .asString()
        .contains("this stepguard.yaml changed since the operator trusted it");
  }

  @Test
  void addsAProjectsSecretWordsToTheOperatorsAndNeverRemovesOne() throws Exception {
    HistoryOptions history = load("history:\n  redact: [pin, cvv]\n").settings().history();

    assertThat(history.redact()).contains("password", "token", "secret", "api_key", "pin", "cvv");
  }

  @Test
  void readsTheHistorySectionOfTheOperatorConfigRelativeToIt() throws Exception {
    Files.writeString(
        operatorFile(),
        "history:\n  url: jdbc:postgresql://db.internal/stepguard\n"
            + "  credentials: secrets/history.properties\n  redact: [pin]\n"
            + "  retention: 30d\n  keep: 500\n");

    HistoryOptions history = ConfigLoader.load(project, operator()).settings().history();

    assertThat(history.url()).contains("jdbc:postgresql://db.internal/stepguard");
    assertThat(history.credentials())
        .contains(operatorDirectory.resolve("secrets/history.properties"));
    assertThat(history.redact()).containsExactly("pin");
    assertThat(history.retention()).contains(Duration.ofDays(30));
    assertThat(history.keep()).isEqualTo(500);
  }

  @Test
  void refusesACredentialsFileInsideTheProjectEvenFromATrustedFile() throws Exception {
    assertThatThrownBy(
            () ->
                trusted(
                    "history:\n  url: jdbc:postgresql://db/x\n"
                        + "  credentials: secrets/history.properties\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("history.credentials " + project.resolve("secrets"))
        .hasMessageContaining("lies inside the project");
  }

  @Test
  void refusesAnOperatorConfigInsideTheProject() throws Exception {
    Path inside = project.resolve("operator.yaml");
    Files.writeString(inside, "isolation: process\n");

    assertThatThrownBy(() -> ConfigLoader.load(project, OperatorConfig.load(Optional.of(inside))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("the operator config " + inside + " lies inside the project");
  }

  @Test
  void refusesAProjectFileThatIsALinkOrClaimsTrust() throws Exception {
    Path outside = operatorDirectory.resolve("elsewhere.yaml");
    Files.writeString(outside, "isolation: process\n");
    Files.createSymbolicLink(project.resolve(ConfigLoader.FILE_NAME), outside);

    assertThatThrownBy(() -> ConfigLoader.load(project, operator()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is a symbolic link");

    Files.delete(project.resolve(ConfigLoader.FILE_NAME));
    assertThatThrownBy(() -> load("trusted:\n  /x/stepguard.yaml: abc\n"))
        .hasMessageContaining("stepguard.yaml:1:1: 'trusted' belongs in the operator config");
  }

  @Test
  void refusesEnvironmentNamesThatAreNeverPassedEvenFromTheOperator() throws Exception {
    Files.writeString(operatorFile(), "env:\n  allow: [TZ, LD_PRELOAD]\n");

    assertThatThrownBy(() -> ConfigLoader.load(project, operator()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("config.yaml:2:3: 'LD_PRELOAD' is never passed to scripts");
  }

  @Test
  void refusesAKeyGivenTwiceSoThatWhatIsReadIsWhatApplies() {
    assertThatThrownBy(() -> load("isolation: process\ntimeout: 5s\nisolation: sandbox\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("stepguard.yaml:3:")
        .hasMessageContaining("isolation");
  }

  @Test
  void refusesLineBreaksThatEditorsMayNotShow() {
    for (String hidden : java.util.List.of("\u2028", "\u2029", "\u0085", "\r")) {
      assertThatThrownBy(() -> load("timeout: 10s # reviewed" + hidden + "isolation: process\n"))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("stepguard.yaml:1:24: a line break that editors may not show");
    }
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
        .isInstanceOf(ConfigurationException.class)
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
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("stepguard.yaml:");
  }

  @Test
  void refusesAFileFarLargerThanAnyConfiguration() throws Exception {
    assertThatThrownBy(() -> load("# " + "x".repeat(ConfigText.MAX_BYTES) + "\n"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("is larger than 1024 KiB");
  }
}
