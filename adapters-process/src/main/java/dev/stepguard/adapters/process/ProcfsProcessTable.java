package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.port.ProcessTable;
import java.util.Optional;

/**
 * The host's processes as /proc shows them. A recorded process counts only if its pid and start
 * time both still match, so a pid the kernel gave to another process since is never touched.
 */
final class ProcfsProcessTable implements ProcessTable {
  private static final ProcessIdentity SELF =
      new ProcessIdentity(
          ProcessIdentities.HOST,
          ProcessHandle.current().pid(),
          ProcessIdentities.startOf(ProcessHandle.current()));

  @Override
  public ProcessIdentity self() {
    return SELF;
  }

  @Override
  public boolean isAlive(ProcessIdentity process) {
    return ProcessIdentities.find(process).isPresent();
  }

  /**
   * Kills the recorded process with its descendants and its session (the bootstrap made it a
   * session leader) if it is still exactly that process; then every process that carries the run's
   * id in its environment, which no unrelated process can; last the run's cgroups, with what is
   * still in them.
   */
  @Override
  public void endLeftovers(ExecutionId id, ProcessIdentity process) {
    Optional<ProcessHandle> live =
        process == null ? Optional.empty() : ProcessIdentities.find(process);
    live.ifPresent(ProcessTree::kill);
    Leftovers.kill(live.map(ProcessHandle::pid).orElse(Leftovers.NO_SESSION), id.value());
    RunCgroup.sweep(CgroupHost.current(), id.value());
  }
}
