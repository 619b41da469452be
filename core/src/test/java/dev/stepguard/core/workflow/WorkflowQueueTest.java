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
import dev.stepguard.core.model.HistoryCursor;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepSettings;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.ProcessEnd;
import dev.stepguard.core.port.WorkflowRunStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A workflow run accepted before it can start: recorded RUNNING, then run or withdrawn. */
class WorkflowQueueTest {
  private static final StepSettings SETTINGS =
      new StepSettings(Duration.ofSeconds(30), Duration.ofSeconds(3), Limits.defaults(33_000), 0);
  private static final String TWO_STEPS =
      "inputs: [n]\nsteps:\n  - id: a\n    script: a.py\n  - id: b\n    script: b.py\n";
  private static final CancelRequest OPS = CancelRequest.overHttp("ops");

  private final ScriptedProcessLauncher launcher = new ScriptedProcessLauncher();
  private final InMemoryExecutionStore executions = new InMemoryExecutionStore();
  private final InMemoryWorkflowRunStore workflows = new InMemoryWorkflowRunStore();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final CountDownLatch mayClose = new CountDownLatch(1);
  private volatile boolean holdCancelled;

  /** The history, where the close of a CANCELLED run waits while {@code holdCancelled}. */
  private final WorkflowRunStore history =
      new WorkflowRunStore() {
        @Override
        public void insert(WorkflowRun run) {
          workflows.insert(run);
        }

        @Override
        public boolean finish(WorkflowRun run) {
          if (holdCancelled && run.status() == Status.CANCELLED) {
            closing.countDown();
            await(mayClose);
          }
          return workflows.finish(run);
        }

        @Override
        public Optional<WorkflowRun> find(String id) {
          return workflows.find(id);
        }

        @Override
        public List<WorkflowRun> findByPrefix(String prefix, int max) {
          return workflows.findByPrefix(prefix, max);
        }

        @Override
        public List<WorkflowRun> list(
            Optional<Status> status, Optional<HistoryCursor> after, int max) {
          return workflows.list(status, after, max);
        }

        @Override
        public List<WorkflowRun> running() {
          return workflows.running();
        }
      };

  private final FakeProcessTable processes = new FakeProcessTable();
  private final FixedPathPolicy paths =
      new FixedPathPolicy(Path.of("/project"), Set.of("a.py", "b.py"), Set.of());
  private final TickingClock clock = TickingClock.startingAt("2026-01-01T00:00:00Z");
  private final WorkflowRunner runner =
      new WorkflowRunner(
          new ScriptExecutor(paths, launcher, executions, processes, Redactor.defaults(), clock),
          paths,
          history,
          processes,
          Redactor.defaults(),
          clock);
  private final String id = UUID.randomUUID().toString();
  private final Workflow workflow = workflow(TWO_STEPS);

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Workflow workflow(String yaml) {
    return ((WorkflowParser.Result.Valid)
            new WorkflowParser(WorkflowParserTest.ALLOWANCE)
                .parse("flow.yaml", yaml.getBytes(StandardCharsets.UTF_8)))
        .workflow();
  }

  private WorkflowRun runAccepted(String inputs) {
    return runner.runAccepted(
        id, workflow, inputs, SETTINGS, Map.of(), Requester.http("ci"), new Cancellation());
  }

  @Test
  void recordsAnAcceptedRunRunningWithNoStepOwnedByThisProcess() {
    WorkflowRun accepted =
        runner.accept(id, workflow, "{\"n\": 1}", SETTINGS, Requester.http("ci"));

    assertThat(accepted.status()).isEqualTo(Status.RUNNING);
    assertThat(workflows.find(id)).contains(accepted);
    assertThat(accepted.steps()).isEmpty();
    assertThat(accepted.supervisor()).isEqualTo(processes.self());
    assertThat(launcher.launches()).isEmpty();
  }

  @Test
  void refusesARunWithBadInputsAtOnce() {
    WorkflowRun refused = runner.accept(id, workflow, "{}", SETTINGS, Requester.http("ci"));

    assertThat(refused.status()).isEqualTo(Status.REJECTED);
    assertThat(workflows.find(id)).contains(refused);
  }

  @Test
  void runsTheAcceptedRunUnderItsIdAndClosesIt() {
    launcher.printing("a.py", "{}");
    launcher.printing("b.py", "{\"done\": true}");
    runner.accept(id, workflow, "{\"n\": 1}", SETTINGS, Requester.http("ci"));

    WorkflowRun done = runAccepted("{\"n\": 1}");

    assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(done.id()).isEqualTo(id);
    assertThat(workflows.find(id)).contains(done);
  }

  @Test
  void closesAnAcceptedRunRefusedWhenItsTurnCame() {
    runner.accept(id, workflow, "{\"n\": 1}", SETTINGS, Requester.http("ci"));

    WorkflowRun refused = runAccepted("{}");

    assertThat(refused.status()).isEqualTo(Status.REJECTED);
    assertThat(workflows.find(id)).contains(refused);
  }

  @Test
  void withdrawsAnAcceptedRunCancelledSoThatNoStepEverRuns() {
    launcher.printing("a.py", "{}");
    runner.accept(id, workflow, "{\"n\": 1}", SETTINGS, Requester.http("ci"));

    WorkflowRun cancelled = runner.withdraw(id, OPS).orElseThrow();

    assertThat(cancelled.status()).isEqualTo(Status.CANCELLED);
    assertThat(cancelled.error().message()).contains("ops", "no step ran");
    assertThat(runner.withdraw(id, OPS)).isEmpty();
    assertThat(runAccepted("{\"n\": 1}")).isEqualTo(cancelled);
    assertThat(launcher.launches()).isEmpty();
    assertThat(workflows.find(id)).contains(cancelled);
  }

  @Test
  void aStartThatComesWhileTheRunIsBeingWithdrawnStartsNoStepAndReturnsTheWithdrawnRecord()
      throws Exception {
    launcher.printing("a.py", "{}");
    launcher.printing("b.py", "{}");
    runner.accept(id, workflow, "{\"n\": 1}", SETTINGS, Requester.http("ci"));
    holdCancelled = true;

    CompletableFuture<Optional<WorkflowRun>> withdrawing =
        CompletableFuture.supplyAsync(() -> runner.withdraw(id, OPS));
    await(closing);
    CompletableFuture<WorkflowRun> starting =
        CompletableFuture.supplyAsync(() -> runAccepted("{\"n\": 1}"));
    Thread.sleep(200);
    mayClose.countDown();

    WorkflowRun withdrawn = withdrawing.get(10, TimeUnit.SECONDS).orElseThrow();
    assertThat(starting.get(10, TimeUnit.SECONDS)).isEqualTo(withdrawn);
    assertThat(withdrawn.status()).isEqualTo(Status.CANCELLED);
    assertThat(launcher.launches()).isEmpty();
    assertThat(workflows.find(id)).contains(withdrawn);
  }

  @Test
  void aRunWhoseStartCameFirstIsNotWithdrawnAndEndsAsItsStepsDo() throws Exception {
    CountDownLatch inStep = new CountDownLatch(1);
    CountDownLatch stepMayEnd = new CountDownLatch(1);
    launcher.on(
        "a.py",
        launch -> {
          inStep.countDown();
          await(stepMayEnd);
          return ScriptedProcessLauncher.completed(new ProcessEnd.Exited(0), "{}", "");
        });
    launcher.printing("b.py", "{}");
    runner.accept(id, workflow, "{\"n\": 1}", SETTINGS, Requester.http("ci"));

    CompletableFuture<WorkflowRun> starting =
        CompletableFuture.supplyAsync(() -> runAccepted("{\"n\": 1}"));
    await(inStep);
    Optional<WorkflowRun> withdrawn = runner.withdraw(id, OPS);
    stepMayEnd.countDown();

    assertThat(withdrawn).isEmpty();
    WorkflowRun done = starting.get(10, TimeUnit.SECONDS);
    assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(workflows.find(id)).contains(done);
  }
}
