package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.adapters.process.SandboxLauncherModule;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Threat 4 of docs/security.md (a hostile project file) through the real command line: what an
 * untrusted {@code stepguard.yaml} loosens is refused, {@code stepguard trust} applies it, an edit
 * withdraws the trust.
 */
class TrustCommandTest {
  private static final String SHADOW =
      "import json, os\n"
          + "try:\n"
          + "    open('/etc/shadow').read()\n"
          + "    shadow = 'read'\n"
          + "except OSError as error:\n"
          + "    shadow = type(error).__name__\n"
          + "print(json.dumps({'shadow': shadow, 'uid': os.getuid()}))\n";

  @TempDir Path project;
  @TempDir Path operatorDirectory;
  private Map<String, String> operator;

  @BeforeEach
  void writeProject() throws Exception {
    operator = Cli.operator(operatorDirectory.resolve("config.yaml"));
    Files.writeString(project.resolve("shadow.py"), SHADOW);
    Files.writeString(
        project.resolve("hello.py"), "import json, sys\nprint(json.dumps({'hello': 1}))\n");
  }

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--project");
    all.add(project.toString());
    return Cli.run(operator, RuntimeModuleFactory.production(), all.toArray(String[]::new));
  }

  private JsonNode record(Cli.Result result) throws Exception {
    return Json.reader().readTree(result.out());
  }

  // Case 31: an untrusted stepguard.yaml applies only where it tightens (docs/configuration.md,
  // "What a project file may do without trust")
  @Test
  void anUntrustedFileCannotTurnTheSandboxOffButTrustAppliesItUntilItIsEdited() throws Exception {
    assumeTrue(
        SandboxLauncherModule.unavailableBecause(project, List.of()).isEmpty(),
        "bubblewrap does not work here");
    Files.writeString(
        project.resolve("stepguard.yaml"), "isolation: process\nlimits:\n  stdout: 64KiB\n");

    Cli.Result untrusted = cli("run", "shadow.py", "--json");

    assertThat(untrusted.exitCode()).as(untrusted.err()).isZero();
    assertThat(untrusted.err().strip())
        .isEqualTo(
            "stepguard: "
                + project.resolve("stepguard.yaml")
                + ":1:1: 'isolation' is not applied: it loosens what the operator allows and"
                + " this stepguard.yaml is not trusted; review the file, then run 'stepguard"
                + " trust --project "
                + project
                + "' to apply it");
    assertThat(record(untrusted).get("isolation").asText()).isEqualTo("sandbox");
    assertThat(record(untrusted).get("output").get("shadow").asText()).isNotEqualTo("read");
    assertThat(record(untrusted).get("limits").get("stdoutBytes").asLong()).isEqualTo(64 << 10);

    Cli.Result trust = cli("trust");

    assertThat(trust.exitCode()).as(trust.err()).isZero();
    assertThat(trust.out())
        .contains("trusted " + project.toRealPath().resolve("stepguard.yaml"))
        .contains("now applied as well: isolation");
    assertThat(Files.readString(operatorDirectory.resolve("config.yaml")))
        .contains(project.toRealPath().resolve("stepguard.yaml").toString());
    Cli.Result trusted = cli("run", "hello.py", "--json");
    assertThat(trusted.err()).isEmpty();
    assertThat(record(trusted).get("isolation").asText()).isEqualTo("process");

    Files.writeString(
        project.resolve("stepguard.yaml"),
        "isolation: process\nlimits:\n  stdout: 64KiB\n  memory: 64GiB\n");
    Cli.Result edited = cli("run", "hello.py", "--json");

    assertThat(record(edited).get("isolation").asText()).isEqualTo("sandbox");
    assertThat(record(edited).get("limits").get("memoryBytes").asLong()).isEqualTo(1L << 30);
    assertThat(edited.err())
        .contains(":1:1: 'isolation' is not applied", ":4:3: 'limits.memory' is not applied")
        .contains("this stepguard.yaml changed since the operator trusted it");
  }

  @Test
  void revokingTrustRefusesTheLooseningAgain() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "isolation: process\n");
    assertThat(cli("trust").exitCode()).isZero();

    Cli.Result revoke = cli("trust", "--revoke");
    Cli.Result doctor = cli("doctor");

    assertThat(revoke.exitCode()).isZero();
    assertThat(revoke.out()).contains("withdrew the trust in");
    assertThat(doctor.out()).contains("stepguard.yaml: not trusted", "'isolation' is not applied");
  }

  @Test
  void trustingWithoutAProjectFileIsAUsageError() {
    Cli.Result result = cli("trust");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("there is no stepguard.yaml in " + project);
  }

  @Test
  void aFileThatLoosensNothingAppliesWholeWithoutTrust() throws Exception {
    Files.writeString(project.resolve("stepguard.yaml"), "timeout: 5s\nisolation: sandbox\n");

    Cli.Result trust = cli("trust");
    Cli.Result doctor = cli("doctor");

    assertThat(trust.out()).contains("it loosens nothing");
    assertThat(doctor.out()).contains("stepguard.yaml: trusted by the operator");
  }

  // Case 30 of docs/security.md: no interpreter inside the project runs on the host
  @Test
  void aProjectInterpreterNeverRunsOnTheHostTrustedOrNot() throws Exception {
    Path marker = operatorDirectory.resolve("ran-on-host");
    Path fake = project.resolve("fakepy");
    Files.writeString(fake, "#!/bin/sh\ntouch " + marker + "\nexec python3 \"$@\"\n");
    fake.toFile().setExecutable(true);
    Files.writeString(project.resolve("stepguard.yaml"), "python: ./fakepy\n");

    Cli.Result untrusted = cli("run", "hello.py", "--json");
    cli("trust");
    Cli.Result trusted = cli("run", "hello.py", "--json");

    assertThat(untrusted.exitCode()).as(untrusted.err()).isZero();
    assertThat(untrusted.err()).contains(":1:1: 'python' is not applied");
    assertThat(trusted.exitCode()).isEqualTo(6);
    assertThat(record(trusted).get("status").asText()).isEqualTo("LAUNCH_FAILED");
    assertThat(record(trusted).get("error").get("message").asText())
        .contains(fake.toString(), "inside the project");
    assertThat(marker).doesNotExist();
  }

  // Case 33: a step may pass only environment variables the operator allows
  // (docs/configuration.md, "Environment variables for workflow steps")
  @Test
  void workflowValidateRefusesEnvironmentTheOperatorDidNotAllow() throws Exception {
    Files.createDirectories(project.resolve("flows"));
    Files.writeString(
        project.resolve("flows/env.yaml"),
        "steps:\n  - id: a\n    script: hello.py\n    env: [LD_PRELOAD, PYTHONPATH, AWS_REGION]\n");

    Cli.Result refused = cli("workflow", "validate", "flows/env.yaml");
    Files.writeString(operatorDirectory.resolve("config.yaml"), "env:\n  allow: [AWS_REGION]\n");
    Files.writeString(
        project.resolve("flows/env.yaml"),
        "steps:\n  - id: a\n    script: hello.py\n    env: [AWS_REGION]\n");
    Cli.Result allowed = cli("workflow", "validate", "flows/env.yaml");

    assertThat(refused.exitCode()).isEqualTo(3);
    assertThat(refused.err())
        .contains("flows/env.yaml:4:11: 'LD_PRELOAD' is never passed to scripts")
        .contains("flows/env.yaml:4:23: 'PYTHONPATH' is never passed to scripts")
        .contains("flows/env.yaml:4:35: 'AWS_REGION' is not an environment variable the operator");
    assertThat(allowed.exitCode()).as(allowed.err()).isZero();
  }
}
