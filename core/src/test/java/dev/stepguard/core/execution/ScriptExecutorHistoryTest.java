package dev.stepguard.core.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.FakeProcessTable;
import dev.stepguard.core.fixtures.FixedPathPolicy;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.ScriptedProcessLauncher;
import dev.stepguard.core.fixtures.TickingClock;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessEnd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptExecutorHistoryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final ScriptedProcessLauncher launcher = new ScriptedProcessLauncher();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore();
  private final FakeProcessTable processes = new FakeProcessTable();
  private final ScriptExecutor executor =
      new ScriptExecutor(
          FixedPathPolicy.of("hello.py"),
          launcher,
          store,
          processes,
          new Redactor(List.of("password", "api_key")),
          TickingClock.startingAt("2026-01-01T00:00:00Z"));

  private ExecutionRecord run(String script, String input) {
    return executor.execute(
        ExecutionRequest.standalone(
            script,
            input,
            TIMEOUT,
            Duration.ofSeconds(3),
            Limits.defaults(TIMEOUT.toMillis()),
            Requester.cli("ada")));
  }

  @Test
  void recordsTheRunAsRunningWithItsProcessBeforeTheScriptRuns() {
    List<ExecutionRecord> seenWhenTheScriptRan = new ArrayList<>();
    launcher.on(
        "hello.py",
        launch -> {
          seenWhenTheScriptRan.add(store.find(launch.id()).orElseThrow());
          return ScriptedProcessLauncher.completed(new ProcessEnd.Exited(0), "{}", "");
        });

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(seenWhenTheScriptRan)
        .singleElement()
        .satisfies(
            running -> {
              assertThat(running.status()).isEqualTo(Status.RUNNING);
              assertThat(running.process()).isEqualTo(ScriptedProcessLauncher.PROCESS);
              assertThat(running.supervisor()).isEqualTo(processes.self());
              assertThat(running.requestedBy()).isEqualTo(Requester.cli("ada"));
              assertThat(running.finishedAt()).isNull();
            });
    assertThat(record.process()).isEqualTo(ScriptedProcessLauncher.PROCESS);
    assertThat(store.find(record.id())).contains(record);
  }

  @Test
  void recordsARejectedRunWithoutASupervisorOrProcess() {
    ExecutionRecord record = run("../outside.py", "{}");

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(store.find(record.id())).contains(record);
    assertThat(record.supervisor()).isNull();
    assertThat(launcher.launches()).isEmpty();
  }

  @Test
  void recordsALaunchFailure() {
    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.LAUNCH_FAILED);
    assertThat(store.find(record.id())).contains(record);
  }

  @Test
  void storesSecretsRedactedButReturnsThemToTheCaller() {
    launcher.printing("hello.py", "{\"db\": {\"Password\": \"out\"}, \"rows\": 3}");

    ExecutionRecord record = run("hello.py", "{\"user\": \"ada\", \"API-KEY\": \"k-123\"}");

    ExecutionRecord stored = store.find(record.id()).orElseThrow();
    assertThat(stored.inputs().toString())
        .isEqualTo("{\"user\":\"ada\",\"API-KEY\":\"[REDACTED]\"}");
    assertThat(stored.output().toString())
        .isEqualTo("{\"db\":{\"Password\":\"[REDACTED]\"},\"rows\":3}");
    assertThat(record.inputs().get("API-KEY").asText()).isEqualTo("k-123");
  }

  @Test
  void runsNoScriptWhenTheHistoryCannotRecordTheRun() {
    List<String> ran = new ArrayList<>();
    launcher.on(
        "hello.py",
        launch -> {
          ran.add("hello.py");
          return ScriptedProcessLauncher.completed(new ProcessEnd.Exited(0), "{}", "");
        });
    store.breakDown();

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.LAUNCH_FAILED);
    assertThat(record.error().message()).contains("execution history could not record the run");
    assertThat(ran).isEmpty();
  }

  @Test
  void returnsTheOutcomeWhenTheHistoryFailsDuringTheRun() {
    launcher.on(
        "hello.py",
        launch -> {
          store.breakDown();
          return ScriptedProcessLauncher.completed(new ProcessEnd.Exited(0), "{\"ok\": 1}", "");
        });

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
  }

  @Test
  void recordsARefusalEvenWhenTheHistoryIsBrokenWithoutThrowing() {
    store.breakDown();

    assertThat(run("../x.py", "{}").status()).isEqualTo(Status.REJECTED);
  }
}
