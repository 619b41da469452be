package dev.stepguard.core.port;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ProcessIdentity;

/** The processes of this host, as far as runs and their recovery need them. */
public interface ProcessTable {

  /** The stepguard process this code runs in. */
  ProcessIdentity self();

  /** Whether exactly this process (same pid and start time) is still running on this host. */
  boolean isAlive(ProcessIdentity process);

  /**
   * Ends what an abandoned run left running: the script's process if it is still exactly {@code
   * process} (never a process that reused its pid), with everything it started, and any process
   * that still carries the run's id.
   *
   * @param process the script's process as recorded, or null if none was recorded
   */
  void endLeftovers(ExecutionId id, ProcessIdentity process);
}
