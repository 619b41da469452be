package dev.stepguard.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.FakeProcessTable;
import dev.stepguard.core.fixtures.FixedPathPolicy;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.InMemoryWorkflowRunStore;
import dev.stepguard.core.fixtures.ScriptedProcessLauncher;
import dev.stepguard.core.fixtures.TickingClock;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepSettings;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.ProcessEnd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Case 39: a secret stays out of every stored record, whatever key or stream carries it. */
class SecretMaskingTest {
  private static final StepSettings SETTINGS =
      new StepSettings(Duration.ofSeconds(30), Duration.ofSeconds(3), Limits.defaults(33_000), 0);
  private static final String SECRET = "s3cr3t-value";

  private final ScriptedProcessLauncher launcher = new ScriptedProcessLauncher();
  private final InMemoryExecutionStore executions = new InMemoryExecutionStore();
  private final InMemoryWorkflowRunStore workflows = new InMemoryWorkflowRunStore();
  private final FakeProcessTable processes = new FakeProcessTable();
  private final FixedPathPolicy paths =
      new FixedPathPolicy(Path.of("/project"), Set.of("a.py", "b.py"), Set.of());
  private final TickingClock clock = TickingClock.startingAt("2026-01-01T00:00:00Z");
  private final ScriptExecutor executor =
      new ScriptExecutor(paths, launcher, executions, processes, Redactor.defaults(), clock);
  private final WorkflowRunner runner =
      new WorkflowRunner(executor, paths, workflows, processes, Redactor.defaults(), clock);

  private static String stdin(Launch launch) {
    return new String(launch.stdin(), StandardCharsets.UTF_8);
  }

  /** Prints its input back as {@code {"echo": input}} and logs it to stderr. */
  private void echoing(String script, ProcessEnd end) {
    launcher.on(
        script,
        launch ->
            ScriptedProcessLauncher.completed(
                end, "{\"echo\": " + stdin(launch) + "}", "got " + stdin(launch) + "\n"));
  }

  private WorkflowRun runWorkflow(String yaml, String inputs) {
    WorkflowParser.Result parsed =
        new WorkflowParser(WorkflowParserTest.ALLOWANCE)
            .parse("flow.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    Workflow workflow = ((WorkflowParser.Result.Valid) parsed).workflow();
    return runner.run(workflow, inputs, SETTINGS, Map.of(), Requester.cli("ada"));
  }

  private ExecutionRecord runAlone(String input) {
    return executor.execute(
        ExecutionRequest.standalone(
            "a.py",
            input,
            Duration.ofSeconds(30),
            Duration.ofSeconds(3),
            Limits.defaults(30_000),
            Requester.cli("ada")));
  }

  private ExecutionRecord stored(ExecutionRecord record) {
    return executions.find(record.id()).orElseThrow();
  }

  @Test
  void masksAWorkflowSecretPassedToAStepUnderAnotherKeyInEveryStoredRecord() {
    echoing("a.py", new ProcessEnd.Exited(0));

    WorkflowRun run =
        runWorkflow(
            "inputs: [password]\nsteps:\n  - id: a\n    script: a.py\n"
                + "    inputs: {auth: \"Basic ${inputs.password}\"}\n",
            "{\"password\": \"" + SECRET + "\"}");

    assertThat(stdin(launcher.launches().get(0))).contains("Basic " + SECRET);
    assertThat(run.output().toString()).contains(SECRET);
    ExecutionRecord step = executions.find(run.steps().get(0).executionId()).orElseThrow();
    assertThat(step.inputs().toString()).isEqualTo("{\"auth\":\"Basic [REDACTED]\"}");
    assertThat(step.output().toString()).isEqualTo("{\"echo\":{\"auth\":\"Basic [REDACTED]\"}}");
    assertThat(step.stderr()).isEqualTo("got {\"auth\":\"Basic [REDACTED]\"}\n");
    WorkflowRun storedRun = workflows.find(run.id()).orElseThrow();
    assertThat(storedRun.inputs().toString()).isEqualTo("{\"password\":\"[REDACTED]\"}");
    assertThat(storedRun.output().toString()).doesNotContain(SECRET).contains("[REDACTED]");
  }

  @Test
  void masksAWorkflowSecretInTheStderrOfAStepThatFailed() {
    echoing("a.py", new ProcessEnd.Exited(1));

    WorkflowRun run =
        runWorkflow(
            "inputs: [passwd]\nsteps:\n  - id: a\n    script: a.py\n"
                + "    inputs: {user: \"ada:${inputs.passwd}\"}\n",
            "{\"passwd\": \"" + SECRET + "\"}");

    assertThat(run.status()).isEqualTo(Status.FAILED);
    ExecutionRecord step = executions.find(run.steps().get(0).executionId()).orElseThrow();
    assertThat(step.stderr()).isEqualTo("got {\"user\":\"ada:[REDACTED]\"}\n");
    assertThat(workflows.find(run.id()).orElseThrow().toString()).doesNotContain(SECRET);
  }

  @Test
  void masksASecretAStepOutputsInTheLaterStepsThatGetItUnderAnotherKey() {
    launcher.printing("a.py", "{\"token\": \"tok-98765\"}");
    echoing("b.py", new ProcessEnd.Exited(0));

    WorkflowRun run =
        runWorkflow(
            "steps:\n  - id: a\n    script: a.py\n  - id: b\n    script: b.py\n"
                + "    inputs: {header: \"Bearer ${steps.a.output.token}\"}\n",
            "{}");

    ExecutionRecord b = executions.find(run.steps().get(1).executionId()).orElseThrow();
    assertThat(b.inputs().toString()).isEqualTo("{\"header\":\"Bearer [REDACTED]\"}");
    assertThat(b.stderr()).doesNotContain("tok-98765");
    assertThat(workflows.find(run.id()).orElseThrow().output().toString())
        .doesNotContain("tok-98765");
  }

  @Test
  void masksASecretInputEverywhereInAStandaloneRunButReturnsTheRealOutput() {
    echoing("a.py", new ProcessEnd.Exited(0));

    ExecutionRecord record =
        runAlone("{\"token\": \"" + SECRET + "\", \"note\": \"" + SECRET + "\"}");

    assertThat(record.output().toString()).contains(SECRET);
    ExecutionRecord stored = stored(record);
    assertThat(stored.inputs().toString())
        .isEqualTo("{\"token\":\"[REDACTED]\",\"note\":\"[REDACTED]\"}");
    assertThat(stored.output().toString())
        .isEqualTo("{\"echo\":{\"token\":\"[REDACTED]\",\"note\":\"[REDACTED]\"}}");
    assertThat(stored.stderr()).doesNotContain(SECRET);
  }

  @Test
  void masksTheJsonEscapedFormOfASecretThatTheScriptLogs() {
    echoing("a.py", new ProcessEnd.Exited(0));

    ExecutionRecord record =
        runAlone("{\"password\": \"pa\\\"55w\\u00f6rd\", \"copy\": \"pa\\\"55w\\u00f6rd\"}");

    assertThat(record.inputs().get("copy").asText()).isEqualTo("pa\"55w\u00f6rd");
    ExecutionRecord stored = stored(record);
    assertThat(stored.stderr())
        .isEqualTo("got {\"password\": \"[REDACTED]\", \"copy\": \"[REDACTED]\"}\n");
    assertThat(stored.inputs().get("copy").asText()).isEqualTo("[REDACTED]");
  }

  @Test
  void keepsASecretOutOfTheErrorOfAnInputThatIsNotJson() {
    ExecutionRecord record = runAlone("{\"password\": Basic " + SECRET + "}");

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(stored(record).error().message())
        .contains("is not valid JSON", "at byte")
        .doesNotContain(SECRET);
    assertThat(stored(record).inputs()).isNull();
  }

  @Test
  void keepsASecretOutOfTheErrorOfAWorkflowInputThatIsNotJson() {
    WorkflowRun run =
        runWorkflow(
            "inputs: [password]\nsteps:\n  - id: a\n    script: a.py\n",
            "{\"password\": '" + SECRET + "'}");

    assertThat(run.status()).isEqualTo(Status.REJECTED);
    assertThat(workflows.find(run.id()).orElseThrow().error().message())
        .contains("not valid JSON")
        .doesNotContain(SECRET);
    assertThat(launcher.launches()).isEmpty();
  }

  @Test
  void leavesAShortSecretVisibleUnderOtherKeysBelowTheThreshold() {
    echoing("a.py", new ProcessEnd.Exited(0));

    ExecutionRecord record = runAlone("{\"token\": \"abc\", \"note\": \"abc\"}");

    assertThat(stored(record).inputs().toString())
        .isEqualTo("{\"token\":\"[REDACTED]\",\"note\":\"abc\"}");
  }

  @Test
  void saysNeitherTheInputNorTheSecretsOfARequestInItsText() {
    ExecutionRequest request =
        new ExecutionRequest(
            "a.py",
            "{\"auth\": \"" + SECRET + "\"}",
            Duration.ofSeconds(30),
            Duration.ofSeconds(3),
            Limits.defaults(30_000),
            Map.of(),
            "w1",
            "a",
            Requester.cli("ada"),
            Set.of(SECRET));

    assertThat(request.toString()).doesNotContain(SECRET).contains("a.py");
  }
}
