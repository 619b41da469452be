package dev.stepguard.core.port;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ProcessIdentity;

/**
 * The processes of this host, as far as runs and their recovery need them. Processes are told apart
 * by the kernel's boot id and their start ticks, never by a wall-clock instant, so a stepped clock
 * cannot make a live process look gone nor a reused pid look like the recorded process.
 */
public interface ProcessTable {

  /** The stepguard process this code runs in. */
  ProcessIdentity self();

  /**
   * Whether {@code process} may still be running on this host: a live process has its pid, boot id
   * and start ticks. An identity recorded without boot id and start ticks (an older record) counts
   * as alive while any process has its pid: recovery never acts on doubt.
   */
  boolean isAlive(ProcessIdentity process);

  /**
   * Ends what an abandoned run left running: the script's process if it is certainly still {@code
   * process} (same pid, boot id and start ticks; never a process that reused its pid, and nothing
   * by pid for an identity without them), with everything it started, and any process that still
   * carries the run's id.
   *
   * @param process the script's process as recorded, or null if none was recorded
   */
  void endLeftovers(ExecutionId id, ProcessIdentity process);
}
