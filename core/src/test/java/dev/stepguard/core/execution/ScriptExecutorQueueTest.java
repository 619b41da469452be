package dev.stepguard.core.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepguard.core.fixtures.FakeProcessTable;
import dev.stepguard.core.fixtures.FixedPathPolicy;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.InMemoryWorkflowRunStore;
import dev.stepguard.core.fixtures.ScriptedProcessLauncher;
import dev.stepguard.core.fixtures.TickingClock;
import dev.stepguard.core.history.RunRecovery;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.PathPolicy;
import dev.stepguard.core.port.ProcessEnd;
import dev.stepguard.core.port.ScriptResolution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A run accepted before it can start: recorded queued, then started, withdrawn or abandoned. */
class ScriptExecutorQueueTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final CancelRequest OPS = CancelRequest.overHttp("ops");

  private final ScriptedProcessLauncher launcher = new ScriptedProcessLauncher();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore();
  private final FakeProcessTable processes = new FakeProcessTable();
  private final TickingClock clock = TickingClock.startingAt("2026-01-01T00:00:00Z");
  private final ScriptExecutor executor =
      new ScriptExecutor(
          FixedPathPolicy.of("hello.py"),
          launcher,
          store,
          processes,
          new Redactor(List.of("password")),
          clock);
  private final ExecutionId id = ExecutionId.random();

  private static ExecutionRequest request(String script, String input) {
    return ExecutionRequest.standalone(
        script,
        input,
        TIMEOUT,
        Duration.ofSeconds(3),
        Limits.defaults(TIMEOUT.toMillis()),
        Requester.http("ci"));
  }

  @Test
  void recordsAnAcceptedRunQueuedOwnedByThisProcessWithItsRedactedRequest() {
    ExecutionRecord queued =
        executor.accept(id, request("hello.py", "{\"name\": \"Ada\", \"password\": \"s3\"}"));

    assertThat(queued.status()).isEqualTo(Status.RUNNING);
    assertThat(queued.queued()).isTrue();
    ExecutionRecord stored = store.find(id).orElseThrow();
    assertThat(stored.queued()).isTrue();
    assertThat(stored.supervisor()).isEqualTo(processes.self());
    assertThat(stored.process()).isNull();
    assertThat(stored.requestedBy()).isEqualTo(Requester.http("ci"));
    assertThat(stored.timeoutMs()).isEqualTo(TIMEOUT.toMillis());
    assertThat(stored.inputs().get("name").asText()).isEqualTo("Ada");
    assertThat(stored.inputs().toString()).doesNotContain("s3");
    assertThat(launcher.launches()).isEmpty();
  }

  @Test
  void refusesToQueueARunTheHistoryCannotRecord() {
    store.breakDown();

    assertThatThrownBy(() -> executor.accept(id, request("hello.py", "{}")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("could not record the run");
  }

  @Test
  void refusesABadRequestAtOnceInsteadOfQueueingIt() {
    ExecutionRecord refused = executor.accept(id, request("../outside.py", "{}"));

    assertThat(refused.status()).isEqualTo(Status.REJECTED);
    assertThat(store.find(id)).contains(refused);
  }

  @Test
  void startsTheQueuedRunUnderItsIdWithItsStartTimeAndProcess() {
    List<ExecutionRecord> seenWhenTheScriptRan = new ArrayList<>();
    launcher.on(
        "hello.py",
        launch -> {
          seenWhenTheScriptRan.add(store.find(launch.id()).orElseThrow());
          return ScriptedProcessLauncher.completed(new ProcessEnd.Exited(0), "{}", "");
        });
    ExecutionRecord queued = executor.accept(id, request("hello.py", "{}"));

    ExecutionRecord done =
        executor.executeAccepted(id, request("hello.py", "{}"), new Cancellation());

    assertThat(seenWhenTheScriptRan)
        .singleElement()
        .satisfies(
            running -> {
              assertThat(running.queued()).isFalse();
              assertThat(running.process()).isEqualTo(ScriptedProcessLauncher.PROCESS);
              assertThat(running.startedAt()).isAfter(queued.startedAt());
            });
    assertThat(done.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(store.find(id)).contains(done);
  }

  @Test
  void withdrawsAQueuedRunCancelledByTheRequesterWithoutStartingIt() {
    launcher.printing("hello.py", "{}");
    executor.accept(id, request("hello.py", "{}"));

    ExecutionRecord cancelled = executor.withdraw(id, OPS).orElseThrow();

    assertThat(cancelled.status()).isEqualTo(Status.CANCELLED);
    assertThat(cancelled.cancelledBy()).isEqualTo(OPS);
    assertThat(cancelled.error().message()).contains("before the script started, so nothing ran");
    assertThat(store.find(id)).contains(cancelled);
    assertThat(executor.withdraw(id, OPS)).isEmpty();

    ExecutionRecord later =
        executor.executeAccepted(id, request("hello.py", "{}"), new Cancellation());
    assertThat(launcher.launches()).isEmpty();
    assertThat(later).isEqualTo(cancelled);
    assertThat(store.find(id)).contains(cancelled);
  }

  @Test
  void aRunWithdrawnJustAsItsTurnCameEndsCancelledNotFailed() {
    launcher.printing("hello.py", "{}");
    ScriptExecutor racing = withdrawnWhileChecked(true);
    racing.accept(id, request("hello.py", "{}"));

    ExecutionRecord ended =
        racing.executeAccepted(id, request("hello.py", "{}"), new Cancellation());

    assertThat(ended.status()).isEqualTo(Status.CANCELLED);
    assertThat(ended.cancelledBy()).isEqualTo(OPS);
    assertThat(store.find(id)).contains(ended);
  }

  @Test
  void aRunWithdrawnJustAsItsTurnCameEndsCancelledNotRejected() {
    ScriptExecutor racing = withdrawnWhileChecked(false);
    racing.accept(id, request("hello.py", "{}"));

    ExecutionRecord ended =
        racing.executeAccepted(id, request("hello.py", "{}"), new Cancellation());

    assertThat(ended.status()).isEqualTo(Status.CANCELLED);
    assertThat(store.find(id)).contains(ended);
  }

  /**
   * An executor whose path check withdraws the run (as a cancel landing after the run left the
   * queue's check and before its write-ahead would), then finds the script or refuses it.
   */
  private ScriptExecutor withdrawnWhileChecked(boolean found) {
    FixedPathPolicy paths = FixedPathPolicy.of("hello.py");
    ScriptExecutor[] self = new ScriptExecutor[1];
    PathPolicy policy =
        new PathPolicy() {
          private boolean first = true;

          @Override
          public Path projectRoot() {
            return paths.projectRoot();
          }

          @Override
          public ScriptResolution resolve(ScriptPath script) {
            if (first) {
              first = false; // the accept's own check comes first
              return paths.resolve(script);
            }
            self[0].withdraw(id, OPS);
            return found ? paths.resolve(script) : new ScriptResolution.Refused("gone meanwhile");
          }

          @Override
          public Optional<String> inputPathProblem(String path) {
            return paths.inputPathProblem(path);
          }
        };
    self[0] =
        new ScriptExecutor(
            policy, launcher, store, processes, new Redactor(List.of("password")), clock);
    return self[0];
  }

  @Test
  void doesNotWithdrawARunThatStarted() {
    launcher.printing("hello.py", "{}");
    executor.accept(id, request("hello.py", "{}"));
    executor.executeAccepted(id, request("hello.py", "{}"), new Cancellation());

    assertThat(executor.withdraw(id, OPS)).isEmpty();
    assertThat(executor.withdraw(ExecutionId.random(), OPS)).isEmpty();
    assertThat(store.find(id).orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void closesAQueuedRunRefusedWhenItsTurnCameInsteadOfRecordingItTwice() {
    executor.accept(id, request("hello.py", "{}"));

    ExecutionRecord refused =
        executor.executeAccepted(id, request("gone.py", "{}"), new Cancellation());

    assertThat(refused.status()).isEqualTo(Status.REJECTED);
    assertThat(store.find(id)).contains(refused);
  }

  @Test
  void recoverySaysAQueuedRunOfADeadServerNeverStarted() {
    ProcessIdentity server = processes.spawn(700);
    ScriptExecutor theirs =
        new ScriptExecutor(
            FixedPathPolicy.of("hello.py"),
            launcher,
            store,
            new FakeProcessTable(server),
            Redactor.defaults(),
            clock);
    theirs.accept(id, request("hello.py", "{}"));
    processes.die(server);

    new RunRecovery(store, new InMemoryWorkflowRunStore(), processes, clock).recover();

    ExecutionRecord abandoned = store.find(id).orElseThrow();
    assertThat(abandoned.status()).isEqualTo(Status.ABANDONED);
    assertThat(abandoned.error().message())
        .contains("queued and never started", "stepguard process 700");
  }
}
