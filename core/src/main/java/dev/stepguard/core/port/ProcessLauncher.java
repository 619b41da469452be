package dev.stepguard.core.port;

import dev.stepguard.core.model.Isolation;

/**
 * Runs one prepared launch to its end and reports what happened. Implementations never throw for
 * anything a script does; a process that could not be started is {@link LaunchResult.NotStarted}.
 */
public interface ProcessLauncher {

  /** The isolation level every launch of this launcher gets. */
  Isolation isolation();

  /**
   * Readies what every launch needs (finding the interpreter, say) ahead of the first launch, so
   * that a caller with time to spare can spend it here; launches work without it.
   */
  default void ready() {}

  /** Runs the launch, enforcing its deadline and limits, and returns once nothing of it is left. */
  LaunchResult launch(Launch launch);
}
