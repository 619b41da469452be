package dev.stepguard.core.history;

import dev.stepguard.core.execution.Records;
import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.WorkflowRun;
import dev.stepguard.core.port.ExecutionStore;
import dev.stepguard.core.port.ProcessTable;
import dev.stepguard.core.port.WorkflowRunStore;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the runs and workflow runs that a stepguard process left RUNNING when it died: each
 * becomes ABANDONED, and what it left running is ended. Runs of a stepguard process that is still
 * alive, or that ran on another host, are left alone.
 */
public final class RunRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(RunRecovery.class);

  private final ExecutionStore store;
  private final WorkflowRunStore workflows;
  private final ProcessTable processes;
  private final Clock clock;

  @Inject
  public RunRecovery(
      ExecutionStore store, WorkflowRunStore workflows, ProcessTable processes, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.workflows = Objects.requireNonNull(workflows, "workflows");
    this.processes = Objects.requireNonNull(processes, "processes");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Closes every abandoned run and returns the records it closed. */
  public List<ExecutionRecord> recover() {
    ProcessIdentity self = processes.self();
    List<ExecutionRecord> closed = new ArrayList<>();
    for (ExecutionRecord running : store.running()) {
      ProcessIdentity owner = running.supervisor();
      if (owner != null && (!owner.host().equals(self.host()) || processes.isAlive(owner))) {
        continue;
      }
      processes.endLeftovers(running.id(), running.process());
      String gone =
          owner == null
              ? "the run has no recorded stepguard process"
              : "stepguard process " + owner.pid() + " on " + owner.host() + " is gone";
      ExecutionRecord abandoned =
          Records.abandoned(
              running,
              running.queued()
                  ? "it was queued and never started (the script never ran): " + gone
                  : gone,
              clock.instant().truncatedTo(ChronoUnit.MILLIS));
      if (store.finish(abandoned)) {
        LOG.warn("run {} {} was left RUNNING and is now ABANDONED", running.id(), running.script());
        closed.add(abandoned);
      }
    }
    for (WorkflowRun running : workflows.running()) {
      ProcessIdentity owner = running.supervisor();
      if (owner != null && (!owner.host().equals(self.host()) || processes.isAlive(owner))) {
        continue;
      }
      String reason =
          owner == null
              ? "the workflow run has no recorded stepguard process"
              : "stepguard process " + owner.pid() + " on " + owner.host() + " is gone";
      workflows.finish(
          new WorkflowRun(
              running.id(),
              running.workflow(),
              running.workflowSha256(),
              running.name(),
              running.inputs(),
              Status.ABANDONED,
              running.failedStep(),
              running.steps(),
              null,
              new ErrorInfo(
                  Status.ABANDONED.name(),
                  "workflow "
                      + running.workflow()
                      + " ABANDONED: "
                      + reason
                      + "; stepguard stopped during the run. Run the workflow again."),
              running.startedAt(),
              clock.instant().truncatedTo(ChronoUnit.MILLIS),
              running.requestedBy(),
              running.supervisor()));
      LOG.warn(
          "workflow run {} {} was left RUNNING and is now ABANDONED",
          running.id(),
          running.workflow());
    }
    return closed;
  }
}
