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
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepSettings;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.ProcessEnd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowRunnerTest {
  private static final StepSettings SETTINGS =
      new StepSettings(Duration.ofSeconds(30), Duration.ofSeconds(3), Limits.defaults(33_000), 0);

  private final ScriptedProcessLauncher launcher = new ScriptedProcessLauncher();
  private final InMemoryExecutionStore executions = new InMemoryExecutionStore();
  private final InMemoryWorkflowRunStore workflows = new InMemoryWorkflowRunStore();
  private final FakeProcessTable processes = new FakeProcessTable();
  private final FixedPathPolicy paths =
      new FixedPathPolicy(
          Path.of("/project"), Set.of("a.py", "b.py", "c.py", "data/orders.csv"), Set.of("data"));
  private final TickingClock clock = TickingClock.startingAt("2026-01-01T00:00:00Z");
  private final WorkflowRunner runner =
      new WorkflowRunner(
          new ScriptExecutor(paths, launcher, executions, processes, Redactor.defaults(), clock),
          paths,
          workflows,
          processes,
          Redactor.defaults(),
          clock);

  private static Workflow workflow(String yaml) {
    WorkflowParser.Result result =
        new WorkflowParser(WorkflowParserTest.ALLOWANCE)
            .parse("flow.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    assertThat(result).isInstanceOf(WorkflowParser.Result.Valid.class);
    return ((WorkflowParser.Result.Valid) result).workflow();
  }

  private WorkflowRun run(Workflow workflow, String inputs) {
    return runner.run(
        workflow, inputs, SETTINGS, Map.of("TZ", "UTC", "SECRET", "x"), Requester.cli("ada"));
  }

  private static String stdin(Launch launch) {
    return new String(launch.stdin(), StandardCharsets.UTF_8);
  }

  private static final String THREE_STEPS =
      "inputs: [currency]\n"
          + "steps:\n"
          + "  - id: a\n    script: a.py\n"
          + "  - id: b\n    script: b.py\n"
          + "    inputs: {rows: \"${steps.a.output.rows}\", label: \"n=${steps.a.output.count}\","
          + " cur: \"${inputs.currency}\"}\n"
          + "  - id: c\n    script: c.py\n    inputs: {total: \"${steps.b.output.total}\"}\n";

  @Test
  void runsTheStepsInOrderAndFeedsOutputsKeepingTheirTypes() {
    launcher.printing("a.py", "{\"rows\": [1, 2], \"count\": 2}");
    launcher.printing("b.py", "{\"total\": 3.5}");
    launcher.printing("c.py", "{\"report\": \"done\"}");

    WorkflowRun run = run(workflow(THREE_STEPS), "{\"currency\": \"EUR\"}");

    assertThat(run.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(run.failedStep()).isNull();
    assertThat(run.output().toString()).isEqualTo("{\"report\":\"done\"}");
    assertThat(launcher.launches())
        .extracting(l -> l.script().value())
        .containsExactly("a.py", "b.py", "c.py");
    assertThat(stdin(launcher.launches().get(1)))
        .isEqualTo("{\"rows\":[1,2],\"label\":\"n=2\",\"cur\":\"EUR\"}");
    assertThat(stdin(launcher.launches().get(2))).isEqualTo("{\"total\":3.5}");
    assertThat(run.steps()).extracting(s -> s.id()).containsExactly("a", "b", "c");
    ExecutionRecord b = executions.find(run.steps().get(1).executionId()).orElseThrow();
    assertThat(b.workflowRunId()).isEqualTo(run.id());
    assertThat(b.stepId()).isEqualTo("b");
    assertThat(workflows.find(run.id())).contains(run);
  }

  @Test
  void endsCancelledAtTheStepInProgressAndStartsNoOther() {
    Cancellation cancellation = new Cancellation();
    CancelRequest sigterm = CancelRequest.bySignal("SIGTERM", "ada");
    launcher.printing("a.py", "{\"rows\": [], \"count\": 0}");
    launcher.on(
        "b.py",
        launch -> {
          cancellation.request(sigterm);
          return ScriptedProcessLauncher.untilCancelled(launch, "half done", false);
        });
    launcher.printing("c.py", "{}");

    WorkflowRun run =
        runner.run(
            workflow(THREE_STEPS),
            "{\"currency\": \"EUR\"}",
            SETTINGS,
            Map.of(),
            Requester.cli("ada"),
            cancellation);

    assertThat(run.status()).isEqualTo(Status.CANCELLED);
    assertThat(run.failedStep()).isEqualTo("b");
    assertThat(run.error().code()).isEqualTo("CANCELLED");
    assertThat(launcher.launches())
        .extracting(l -> l.script().value())
        .containsExactly("a.py", "b.py");
    ExecutionRecord b = executions.find(run.steps().get(1).executionId()).orElseThrow();
    assertThat(b.cancelledBy()).isEqualTo(sigterm);
    assertThat(b.stderr()).isEqualTo("half done");
    assertThat(workflows.find(run.id())).contains(run);
  }

  @Test
  void stopsAtTheFirstStepThatDoesNotSucceed() {
    launcher.printing("a.py", "{\"rows\": [], \"count\": 0}");
    launcher.ending("b.py", new ProcessEnd.DeadlinePassed(15), "");
    launcher.printing("c.py", "{}");

    WorkflowRun run = run(workflow(THREE_STEPS), "{\"currency\": \"EUR\"}");

    assertThat(run.status()).isEqualTo(Status.TIMED_OUT);
    assertThat(run.failedStep()).isEqualTo("b");
    assertThat(run.error().message()).contains("b.py");
    assertThat(run.output()).isNull();
    assertThat(launcher.launches())
        .extracting(l -> l.script().value())
        .containsExactly("a.py", "b.py");
  }

  @Test
  void refusesAPathInputLeavingTheProjectBeforeAnyStepStarts() {
    launcher.printing("a.py", "{}");
    Workflow workflow =
        workflow(
            "inputs: [csv]\nsteps:\n  - id: first\n    script: a.py\n"
                + "  - id: load\n    script: b.py\n    inputs: {source: \"${inputs.csv}\"}\n"
                + "    paths: [source]\n");

    WorkflowRun run = run(workflow, "{\"csv\": \"../elsewhere/orders.csv\"}");

    assertThat(run.status()).isEqualTo(Status.REJECTED);
    assertThat(run.failedStep()).isEqualTo("load");
    assertThat(run.error().message()).contains("source", "..", "No step was run");
    assertThat(launcher.launches()).isEmpty();
    assertThat(workflows.find(run.id())).contains(run);
  }

  @Test
  void checksAPathFromAnEarlierStepJustBeforeItsStep() {
    launcher.printing("a.py", "{\"file\": \".stepguard/history.mv.db\"}");
    launcher.printing("b.py", "{}");
    Workflow workflow =
        workflow(
            "steps:\n  - id: a\n    script: a.py\n"
                + "  - id: b\n    script: b.py\n    inputs: {src: \"${steps.a.output.file}\"}\n"
                + "    paths: [src]\n");

    WorkflowRun run = run(workflow, "{}");

    assertThat(run.status()).isEqualTo(Status.REJECTED);
    assertThat(run.failedStep()).isEqualTo("b");
    assertThat(run.steps())
        .extracting(s -> s.status())
        .containsExactly(Status.SUCCEEDED, Status.REJECTED);
    assertThat(run.steps().get(1).executionId()).isNull();
    assertThat(launcher.launches()).hasSize(1);
  }

  @Test
  void handsAnAcceptedPathToTheScript() {
    launcher.printing("a.py", "{}");
    Workflow workflow =
        workflow(
            "inputs: [csv]\nsteps:\n  - id: a\n    script: a.py\n"
                + "    inputs: {source: \"${inputs.csv}\"}\n    paths: [source]\n");

    assertThat(run(workflow, "{\"csv\": \"data/orders.csv\"}").status())
        .isEqualTo(Status.SUCCEEDED);
    assertThat(stdin(launcher.launches().get(0))).isEqualTo("{\"source\":\"data/orders.csv\"}");
  }

  @Test
  void refusesMissingUndeclaredOrMalformedWorkflowInputs() {
    Workflow workflow = workflow("inputs: [csv]\nsteps:\n  - id: a\n    script: a.py\n");

    assertThat(run(workflow, "{}").error().message()).contains("needs the input 'csv'");
    assertThat(run(workflow, "{\"csv\": 1, \"tsv\": 2}").error().message())
        .contains("does not declare the input 'tsv'");
    assertThat(run(workflow, "[1]").status()).isEqualTo(Status.REJECTED);
    assertThat(launcher.launches()).isEmpty();
  }

  @Test
  void refusesAStepWhoseReferenceHasNoValue() {
    launcher.printing("a.py", "{\"other\": 1}");
    launcher.printing("b.py", "{}");
    Workflow workflow =
        workflow(
            "steps:\n  - id: a\n    script: a.py\n"
                + "  - id: b\n    script: b.py\n    inputs: {x: \"${steps.a.output.rows}\"}\n");

    WorkflowRun run = run(workflow, "{}");

    assertThat(run.status()).isEqualTo(Status.REJECTED);
    assertThat(run.error().message()).contains("${steps.a.output.rows}", "has no value");
  }

  @Test
  void appliesStepSettingsOverDefaultsOverConfiguration() {
    List<Launch> seen = new ArrayList<>();
    launcher.on(
        "a.py",
        launch -> {
          seen.add(launch);
          return ScriptedProcessLauncher.completed(new ProcessEnd.Exited(0), "{}", "");
        });
    launcher.on(
        "b.py",
        launch -> {
          seen.add(launch);
          return ScriptedProcessLauncher.completed(new ProcessEnd.Exited(0), "{}", "");
        });
    Workflow workflow =
        workflow(
            "defaults:\n  timeout: 20s\n  limits: {memory: 256MiB}\n  env: [TZ]\n"
                + "steps:\n  - id: a\n    script: a.py\n"
                + "  - id: b\n    script: b.py\n    timeout: 5s\n    limits: {cpuTime: 2s}\n"
                + "    env: [HOME_NOT_SET]\n");

    run(workflow, "{}");

    assertThat(seen.get(0).timeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(seen.get(0).limits().memoryBytes()).isEqualTo(256L << 20);
    assertThat(seen.get(0).limits().cpuTimeMs()).isEqualTo(23_000);
    assertThat(seen.get(0).env()).containsExactly(Map.entry("TZ", "UTC"));
    assertThat(seen.get(1).timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(seen.get(1).limits().cpuTimeMs()).isEqualTo(2_000);
    assertThat(seen.get(1).env()).containsOnlyKeys("TZ");
  }

  @Test
  void recordsTheWorkflowRunAsRunningBeforeTheFirstStep() {
    List<Status> seen = new ArrayList<>();
    launcher.on(
        "a.py",
        launch -> {
          seen.add(workflows.running().get(0).status());
          return ScriptedProcessLauncher.completed(new ProcessEnd.Exited(0), "{}", "");
        });

    WorkflowRun run = run(workflow("steps:\n  - id: a\n    script: a.py\n"), "{}");

    assertThat(seen).containsExactly(Status.RUNNING);
    assertThat(run.supervisor()).isEqualTo(processes.self());
    assertThat(workflows.running()).isEmpty();
  }
}
