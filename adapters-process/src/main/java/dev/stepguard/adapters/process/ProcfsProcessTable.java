package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.port.ProcessTable;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The host's processes as /proc shows them. A recorded process counts only if its pid, the boot id
 * and its start ticks all still match, so neither a stepped clock nor a pid the kernel gave to
 * another process since can mislead recovery. An identity recorded without boot id and start ticks
 * counts as alive while its pid runs, and nothing is ever signalled by its pid.
 */
final class ProcfsProcessTable implements ProcessTable {
  private static final ProcessIdentity SELF =
      ProcessIdentities.of(ProcessHandle.current())
          .orElseGet(
              () ->
                  new ProcessIdentity(
                      ProcessIdentities.HOST,
                      ProcessHandle.current().pid(),
                      ProcessHandle.current().info().startInstant().orElse(Instant.EPOCH)));

  @Override
  public ProcessIdentity self() {
    return SELF;
  }

  @Override
  public boolean isAlive(ProcessIdentity process) {
    if (!process.host().equals(ProcessIdentities.HOST)) {
      return false;
    }
    if (!process.hasKernelMarks()) {
      return ProcessHandle.of(process.pid()).isPresent();
    }
    return ProcessIdentities.find(process).isPresent();
  }

  /**
   * Kills the recorded process with its descendants and the sessions started inside its tree (the
   * bootstrap's, also inside bwrap) if it is certainly still that process; then every process that
   * carries the run's id in its environment, which no unrelated process can; last the run's
   * cgroups, with what is still in them, and the private homes that killed stepguard processes
   * left.
   */
  @Override
  public void endLeftovers(ExecutionId id, ProcessIdentity process) {
    Optional<ProcessHandle> live =
        process == null ? Optional.empty() : ProcessIdentities.find(process);
    Set<Long> sessions = new HashSet<>();
    live.ifPresent(root -> sessions.addAll(Leftovers.sessionsUnder(root)));
    live.ifPresent(ProcessTree::kill);
    // Every process: what the record says of the run's first process may be missing or wrong.
    Leftovers.kill(sessions, id.value(), 0);
    RunCgroup.sweep(CgroupHost.current(), id.value());
    PrivateHome.removeAbandoned(PrivateHome.temporaryDirectory());
  }
}
