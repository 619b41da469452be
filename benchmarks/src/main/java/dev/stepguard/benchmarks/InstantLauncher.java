package dev.stepguard.benchmarks;

import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.ResourceUsage;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A launcher that starts nothing and answers at once with a greeting, announcing an invented
 * process first as a real launcher does: with it, an execution costs only what stepguard itself
 * adds, the history writes included.
 */
final class InstantLauncher implements ProcessLauncher {
  private static final ProcessIdentity PROCESS =
      new ProcessIdentity("bench", 4242, Instant.parse("2026-01-01T00:00:00Z"));
  private static final byte[] OUTPUT =
      "{\"greeting\": \"Hello, Ada!\"}".getBytes(StandardCharsets.UTF_8);

  @Override
  public Isolation isolation() {
    return Isolation.PROCESS;
  }

  @Override
  public LaunchResult launch(Launch launch) {
    try {
      launch.onStart().accept(PROCESS);
    } catch (RuntimeException e) {
      return new LaunchResult.NotStarted(e.getMessage(), null);
    }
    return new LaunchResult.Completed(
        new ProcessEnd.Exited(0),
        OUTPUT,
        "",
        false,
        new ResourceUsage(3, 9000),
        new Interpreter("/usr/bin/python3", "3.11.2"),
        "0".repeat(64));
  }
}
