package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.model.Signals;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;
import org.junit.jupiter.api.Test;

/** How the run's cgroups weigh in on how a run ended and on what its record says it used. */
class LaunchEndingsTest {
  private static final Interpreter PYTHON = new Interpreter("/usr/bin/python3", "3.11.2");
  private static final Limits LIMITS = Limits.defaults(1000);
  private static final RunCgroup.Reading OUT_OF_MEMORY =
      new RunCgroup.Reading(ResourceCap.RUN, ResourceCap.RUN, 1 << 20, true);

  private static ProcessRunner.Observation killed(boolean deadlinePassed) {
    return killed(deadlinePassed, false);
  }

  private static ProcessRunner.Observation killed(boolean deadlinePassed, boolean cancelled) {
    return new ProcessRunner.Observation(
        128 + Signals.SIGKILL,
        deadlinePassed,
        cancelled,
        deadlinePassed || cancelled ? Signals.SIGKILL : 0,
        false,
        new byte[0],
        new byte[0],
        new byte[0],
        true);
  }

  @Test
  void endsARunWhoseCgroupRanOutOfMemoryAtTheMemoryLimit() {
    LaunchResult.Completed result =
        (LaunchResult.Completed) LaunchEndings.of(killed(false), PYTHON, LIMITS, OUT_OF_MEMORY);

    assertThat(result.end()).isEqualTo(new ProcessEnd.RunMemoryExhausted());
    assertThat(result.usage().memoryCap()).isEqualTo(ResourceCap.RUN);
    assertThat(result.usage().processCap()).isEqualTo(ResourceCap.RUN);
    assertThat(result.usage().runPeakKib()).isEqualTo(1 << 20);
    assertThat(result.usage().cpuMs()).isEqualTo(-1);
  }

  @Test
  void letsATimeoutExplainTheEndBeforeTheMemoryCap() {
    LaunchResult.Completed result =
        (LaunchResult.Completed) LaunchEndings.of(killed(true), PYTHON, LIMITS, OUT_OF_MEMORY);

    assertThat(result.end()).isEqualTo(new ProcessEnd.DeadlinePassed(Signals.SIGKILL));
  }

  @Test
  void letsACancellationExplainTheEndBeforeTheMemoryCapOrTheExitStatus() {
    LaunchResult.Completed result =
        (LaunchResult.Completed)
            LaunchEndings.of(killed(false, true), PYTHON, LIMITS, OUT_OF_MEMORY);

    assertThat(result.end()).isEqualTo(new ProcessEnd.Cancelled(Signals.SIGKILL));
  }

  @Test
  void saysThePerProcessCapsHeldWhereNoCgroupCounted() {
    RunCgroup.Reading none =
        new RunCgroup.Reading(ResourceCap.PROCESS, ResourceCap.NONE, -1, false);

    LaunchResult.Completed result =
        (LaunchResult.Completed) LaunchEndings.of(killed(false), PYTHON, LIMITS, none);

    assertThat(result.end()).isEqualTo(new ProcessEnd.Signaled(Signals.SIGKILL));
    assertThat(result.usage().memoryCap()).isEqualTo(ResourceCap.PROCESS);
    assertThat(result.usage().processCap()).isEqualTo(ResourceCap.NONE);
  }
}
