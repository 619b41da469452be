package dev.stepguard.core.port;

import dev.stepguard.core.model.Isolation;

/**
 * Runs one prepared launch to its end and reports what happened. Implementations never throw for
 * anything a script does; a process that could not be started is {@link LaunchResult.NotStarted}.
 */
public interface ProcessLauncher {

  /** The isolation level every launch of this launcher gets. */
  Isolation isolation();

  /** Runs the launch, enforcing its deadline and limits, and returns once nothing of it is left. */
  LaunchResult launch(Launch launch);
}
