package dev.stepguard.core.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.FakeProcessTable;
import dev.stepguard.core.fixtures.FixedPathPolicy;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.ScriptedProcessLauncher;
import dev.stepguard.core.fixtures.TickingClock;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScriptExecutorCancellationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final CancelRequest CTRL_C = CancelRequest.bySignal("SIGINT", "ada");

  private final ScriptedProcessLauncher launcher = new ScriptedProcessLauncher();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore();
  private final ScriptExecutor executor =
      new ScriptExecutor(
          FixedPathPolicy.of("wait.py"),
          launcher,
          store,
          new FakeProcessTable(),
          Redactor.defaults(),
          TickingClock.startingAt("2026-01-01T00:00:00Z"));
  private final Cancellation cancellation = new Cancellation();

  private ExecutionRecord run(String input) {
    return executor.execute(
        ExecutionRequest.standalone(
            "wait.py",
            input,
            TIMEOUT,
            Duration.ofSeconds(3),
            Limits.defaults(TIMEOUT.toMillis()),
            Requester.cli("ada")),
        cancellation);
  }

  @Test
  void recordsARunStoppedWhileItRanAsCancelledByWhatAskedWithItsPartialStderr() {
    launcher.on(
        "wait.py",
        launch -> {
          cancellation.request(CTRL_C);
          return ScriptedProcessLauncher.untilCancelled(launch, "loaded 3 of 9 rows\n", false);
        });

    ExecutionRecord record = run("{}");

    assertThat(record.status()).isEqualTo(Status.CANCELLED);
    assertThat(record.cancelledBy()).isEqualTo(CTRL_C);
    assertThat(record.endedBy()).isEqualTo("SIGTERM");
    assertThat(record.stderr()).isEqualTo("loaded 3 of 9 rows\n");
    assertThat(record.exitCode()).isNull();
    assertThat(record.error().code()).isEqualTo("CANCELLED");
    assertThat(record.error().message())
        .contains("wait.py CANCELLED", "SIGINT sent to stepguard (user ada)", "SIGTERM ended");
    assertThat(store.find(record.id())).contains(record);
  }

  @Test
  void saysTheServerStoppedARunItCancelledWhenItShutDown() {
    CancelRequest shutdown = CancelRequest.toServer("SIGTERM", "svc");
    launcher.on(
        "wait.py",
        launch -> {
          cancellation.request(shutdown);
          return ScriptedProcessLauncher.untilCancelled(launch, "", false);
        });

    ExecutionRecord record = run("{}");

    assertThat(record.cancelledBy().requester().channel()).isEqualTo(Requester.Channel.SERVER);
    assertThat(record.cancelledBy().requester().name()).isEqualTo("svc");
    assertThat(record.error().message())
        .contains("SIGTERM sent to the stepguard server (user svc)");
  }

  @Test
  void saysSigkillEndedARunAskedTwiceToStop() {
    launcher.on(
        "wait.py",
        launch -> {
          cancellation.request(CTRL_C);
          cancellation.request(CTRL_C);
          return ScriptedProcessLauncher.untilCancelled(launch, "", true);
        });

    ExecutionRecord record = run("{}");

    assertThat(record.status()).isEqualTo(Status.CANCELLED);
    assertThat(record.endedBy()).isEqualTo("SIGKILL");
    assertThat(record.error().message()).contains("SIGKILL ended the script", "3 s grace");
  }

  @Test
  void recordsARunCancelledBeforeItsLaunchWithoutStartingAnything() {
    launcher.printing("wait.py", "{}");
    cancellation.request(CancelRequest.overHttp("ops"));

    ExecutionRecord record = run("{\"password\": \"hunter2\"}");

    assertThat(record.status()).isEqualTo(Status.CANCELLED);
    assertThat(launcher.launches()).isEmpty();
    assertThat(record.endedBy()).isNull();
    assertThat(record.process()).isNull();
    assertThat(record.error().message())
        .contains("cancel request over HTTP with the token 'ops'", "nothing ran");
    ExecutionRecord stored = store.find(record.id()).orElseThrow();
    assertThat(stored.status()).isEqualTo(Status.CANCELLED);
    assertThat(stored.inputs().toString()).doesNotContain("hunter2");
  }

  @Test
  void saysInWordsWhatTheCommandLineDidWhenItsCauseIsNoSignal() {
    launcher.printing("wait.py", "{}");
    cancellation.request(
        new CancelRequest(
            "the command line went away before the run started", Requester.cli("ada")));

    ExecutionRecord record = run("{}");

    assertThat(record.error().message())
        .contains(
            "stopped on request by the command line of user ada (the command line went away before"
                + " the run started); it came before the script started, so nothing ran");
  }

  @Test
  void callsALaunchThatFailedWhileAStopWasAskedForCancelled() {
    launcher.on(
        "wait.py",
        launch -> {
          cancellation.request(CTRL_C);
          return new LaunchResult.NotStarted("the interpreter check was interrupted", null);
        });

    ExecutionRecord record = run("{}");

    assertThat(record.status()).isEqualTo(Status.CANCELLED);
    assertThat(record.endedBy()).isNull();
    assertThat(record.error().message()).contains("nothing ran");
  }

  @Test
  void saysNothingRanWhenTheLauncherStoppedTheScriptBeforeItsInput() {
    launcher.on(
        "wait.py",
        launch -> {
          cancellation.request(CTRL_C);
          return ScriptedProcessLauncher.completed(new ProcessEnd.Cancelled(0), "", "");
        });

    ExecutionRecord record = run("{}");

    assertThat(record.status()).isEqualTo(Status.CANCELLED);
    assertThat(record.endedBy()).isNull();
    assertThat(record.error().message()).contains("nothing ran");
  }
}
