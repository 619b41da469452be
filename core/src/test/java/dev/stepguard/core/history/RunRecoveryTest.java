package dev.stepguard.core.history;

import static dev.stepguard.core.fixtures.SampleRecords.running;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.stepguard.core.fixtures.FakeProcessTable;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.InMemoryWorkflowRunStore;
import dev.stepguard.core.fixtures.SampleRecords;
import dev.stepguard.core.fixtures.TickingClock;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.WorkflowRun;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRecoveryTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final InMemoryExecutionStore store = new InMemoryExecutionStore();
  private final FakeProcessTable processes = new FakeProcessTable();
  private final InMemoryWorkflowRunStore workflows = new InMemoryWorkflowRunStore();
  private final RunRecovery recovery =
      new RunRecovery(store, workflows, processes, TickingClock.startingAt("2026-01-01T00:05:00Z"));

  private ExecutionRecord runningUnder(ProcessIdentity supervisor, ProcessIdentity script) {
    ExecutionRecord base = running("slow.py", T0);
    ExecutionRecord record = base.toBuilder().supervisor(supervisor).process(script).build();
    store.insert(record);
    return record;
  }

  @Test
  void abandonsTheRunsOfAStepguardThatIsGoneAndEndsTheirScripts() {
    ProcessIdentity deadHost = processes.spawn(100);
    ProcessIdentity orphan = processes.spawn(101);
    ExecutionRecord left = runningUnder(deadHost, orphan);
    processes.die(deadHost);

    recovery.recover();

    ExecutionRecord closed = store.find(left.id()).orElseThrow();
    assertThat(closed.status()).isEqualTo(Status.ABANDONED);
    assertThat(closed.error().message()).contains("slow.py", "stepguard process 100");
    assertThat(closed.finishedAt()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
    assertThat(closed.durationMs()).isEqualTo(300_000);
    assertThat(closed.process()).isEqualTo(orphan);
    assertThat(processes.ended()).containsExactly(left.id());
    assertThat(processes.isAlive(orphan)).isFalse();
    assertThat(store.running()).isEmpty();
  }

  @Test
  void leavesTheRunsOfALiveStepguardAlone() {
    ProcessIdentity otherCli = processes.spawn(200);
    ExecutionRecord theirs = runningUnder(otherCli, null);
    ExecutionRecord ours = runningUnder(processes.self(), null);

    assertThat(recovery.recover()).isEmpty();

    assertThat(store.running())
        .extracting(ExecutionRecord::id)
        .containsExactlyInAnyOrder(theirs.id(), ours.id());
    assertThat(processes.ended()).isEmpty();
  }

  @Test
  void leavesTheRunsOfAnotherHostAlone() {
    runningUnder(new ProcessIdentity("elsewhere", 100, T0), null);

    assertThat(recovery.recover()).isEmpty();
    assertThat(store.running()).hasSize(1);
  }

  @Test
  void doesNotMistakeAReusedPidForTheDeadStepguard() {
    ProcessIdentity original = processes.spawn(300);
    ExecutionRecord left = runningUnder(original, null);
    processes.die(original);
    processes.spawn(300);

    recovery.recover();

    assertThat(store.find(left.id()).orElseThrow().status()).isEqualTo(Status.ABANDONED);
  }

  private static ProcessIdentity seenAfterAClockStep(ProcessIdentity process, long seconds) {
    return new ProcessIdentity(
        process.host(),
        process.pid(),
        process.startedAt().plusSeconds(seconds),
        process.bootId(),
        process.startTicks());
  }

  @Test
  void leavesTheRunOfALiveStepguardAloneAfterTheClockWasStepped() {
    ProcessIdentity otherCli = processes.spawn(600);
    ProcessIdentity script = processes.spawn(601);
    ExecutionRecord theirs =
        runningUnder(seenAfterAClockStep(otherCli, -3), seenAfterAClockStep(script, -3));

    assertThat(recovery.recover()).isEmpty();

    assertThat(store.find(theirs.id()).orElseThrow().status()).isEqualTo(Status.RUNNING);
    assertThat(processes.ended()).isEmpty();
    assertThat(processes.signalled()).isEmpty();
    assertThat(processes.isAlive(script)).isTrue();
  }

  @Test
  void neverSignalsAProcessThatReusedTheScriptsPid() {
    ProcessIdentity deadCli = processes.spawn(700);
    ProcessIdentity script = processes.spawn(701);
    ExecutionRecord left = runningUnder(deadCli, script);
    processes.die(deadCli);
    processes.die(script);
    ProcessIdentity stranger = processes.spawn(701);

    recovery.recover();

    assertThat(store.find(left.id()).orElseThrow().status()).isEqualTo(Status.ABANDONED);
    assertThat(processes.signalled()).isEmpty();
    assertThat(processes.isAlive(stranger)).isTrue();
  }

  @Test
  void leavesAnOlderRecordWithoutKernelMarksAloneWhileItsPidLives() {
    ProcessIdentity otherCli = processes.spawn(800);
    ExecutionRecord theirs =
        runningUnder(new ProcessIdentity(otherCli.host(), otherCli.pid(), T0), null);

    assertThat(recovery.recover()).isEmpty();

    assertThat(store.find(theirs.id()).orElseThrow().status()).isEqualTo(Status.RUNNING);
    assertThat(processes.ended()).isEmpty();
  }

  @Test
  void abandonsTheRunOfAStepguardFromAnEarlierBoot() {
    ProcessIdentity live = processes.spawn(900);
    ExecutionRecord left =
        runningUnder(
            new ProcessIdentity(live.host(), live.pid(), live.startedAt(), "earlier-boot", 5L),
            null);

    recovery.recover();

    assertThat(store.find(left.id()).orElseThrow().status()).isEqualTo(Status.ABANDONED);
    assertThat(processes.signalled()).isEmpty();
  }

  @Test
  void abandonsARunWithNoRecordedSupervisor() {
    ExecutionRecord left = runningUnder(null, null);

    assertThat(recovery.recover()).extracting(ExecutionRecord::id).containsExactly(left.id());
    assertThat(store.find(left.id()).orElseThrow().error().message())
        .contains("no recorded stepguard process");
  }

  @Test
  void closesNothingWhenNothingIsRunning() {
    store.insert(SampleRecords.closed(running("a.py", T0), Status.SUCCEEDED));

    assertThat(recovery.recover()).isEmpty();
    assertThat(store.find(ExecutionId.random())).isEmpty();
  }

  private WorkflowRun workflowUnder(ProcessIdentity supervisor) {
    WorkflowRun run =
        new WorkflowRun(
            java.util.UUID.randomUUID().toString(),
            "flows/a.yaml",
            "ab".repeat(32),
            "a",
            JsonNodeFactory.instance.objectNode(),
            Status.RUNNING,
            null,
            List.of(),
            null,
            null,
            T0,
            null,
            Requester.cli("ada"),
            supervisor);
    workflows.insert(run);
    return run;
  }

  @Test
  void abandonsTheWorkflowRunsOfAStepguardThatIsGone() {
    ProcessIdentity gone = processes.spawn(500);
    WorkflowRun left = workflowUnder(gone);
    WorkflowRun ours = workflowUnder(processes.self());
    processes.die(gone);

    recovery.recover();

    WorkflowRun closed = workflows.find(left.id()).orElseThrow();
    assertThat(closed.status()).isEqualTo(Status.ABANDONED);
    assertThat(closed.error().message()).contains("flows/a.yaml", "stepguard process 500");
    assertThat(closed.finishedAt()).isNotNull();
    assertThat(workflows.running()).extracting(WorkflowRun::id).containsExactly(ours.id());
  }
}
