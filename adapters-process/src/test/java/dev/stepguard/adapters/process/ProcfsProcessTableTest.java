package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ProcessIdentity;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProcfsProcessTableTest {
  private final ProcfsProcessTable table = new ProcfsProcessTable();
  private Process started;

  @AfterEach
  void stop() {
    if (started != null) {
      started.descendants().forEach(ProcessHandle::destroyForcibly);
      started.destroyForcibly();
    }
  }

  private ProcessIdentity start(String... command) throws Exception {
    started = new ProcessBuilder(command).start();
    return ProcessIdentities.of(started.toHandle()).orElseThrow();
  }

  @Test
  void knowsItselfAsAlive() {
    assertThat(table.self().pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(table.isAlive(table.self())).isTrue();
  }

  private static ProcessIdentity withTicks(ProcessIdentity process, long ticks) {
    return new ProcessIdentity(
        process.host(), process.pid(), process.startedAt(), process.bootId(), ticks);
  }

  @Test
  void identifiesItselfByBootIdAndStartTicks() {
    assertThat(table.self().hasKernelMarks()).isTrue();
    assertThat(table.self().bootId()).isEqualTo(ProcessIdentities.BOOT_ID).isNotBlank();
  }

  @Test
  void doesNotTakeAProcessWithTheSamePidButOtherStartTicksForTheRecordedOne() {
    ProcessIdentity self = table.self();

    assertThat(table.isAlive(withTicks(self, self.startTicks() + 1))).isFalse();
    assertThat(
            table.isAlive(
                new ProcessIdentity(
                    self.host(), self.pid(), self.startedAt(), "another-boot", self.startTicks())))
        .isFalse();
    assertThat(
            table.isAlive(
                new ProcessIdentity(
                    "other-host", self.pid(), self.startedAt(), self.bootId(), self.startTicks())))
        .isFalse();
  }

  @Test
  void aLiveProcessStaysAliveWhenTheWallClockMoved() {
    ProcessIdentity self = table.self();
    ProcessIdentity recordedBeforeAStep =
        new ProcessIdentity(
            self.host(),
            self.pid(),
            self.startedAt().minusSeconds(3),
            self.bootId(),
            self.startTicks());

    assertThat(table.isAlive(recordedBeforeAStep)).isTrue();
  }

  @Test
  void anOlderRecordWithoutKernelMarksCountsAsAliveButIsNeverSignalled() throws Exception {
    ProcessIdentity actual = start("sleep", "300");
    ProcessIdentity old =
        new ProcessIdentity(actual.host(), actual.pid(), actual.startedAt().minusSeconds(60));

    assertThat(table.isAlive(old)).isTrue();
    table.endLeftovers(ExecutionId.random(), old);

    assertThat(started.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void endsTheRecordedProcessAndWhatItStarted() throws Exception {
    ProcessIdentity script = start("sh", "-c", "sleep 300 & sleep 300; wait");
    Thread.sleep(100);
    ProcessHandle child = started.toHandle().children().findFirst().orElseThrow();

    table.endLeftovers(ExecutionId.random(), script);

    assertThat(started.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(child.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
    assertThat(table.isAlive(script)).isFalse();
  }

  @Test
  void neverSignalsAReusedPidWhoseStartTicksDoNotMatch() throws Exception {
    ProcessIdentity actual = start("sleep", "300");
    ProcessIdentity recorded = withTicks(actual, actual.startTicks() - 1);

    table.endLeftovers(ExecutionId.random(), recorded);

    assertThat(started.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
    assertThat(table.isAlive(actual)).isTrue();
  }

  @Test
  void endsProcessesThatCarryTheRunsIdEvenWithoutARecordedProcess() throws Exception {
    ExecutionId id = ExecutionId.random();
    ProcessBuilder builder = new ProcessBuilder("sleep", "300");
    builder.environment().put("STEPGUARD_EXECUTION_ID", id.value());
    started = builder.start();
    Thread.sleep(Duration.ofMillis(50).toMillis());

    table.endLeftovers(id, null);

    assertThat(started.waitFor(5, TimeUnit.SECONDS)).isTrue();
  }
}
