package dev.stepguard.core.workflow.planted;

import dev.stepguard.core.execution.planted.ReachesIntoWorkflow;

/** The other half of the planted cycle: workflow using execution, as it may. */
public final class ReachesIntoExecution {
  private ReachesIntoExecution() {}

  public static String callsTheExecutionSide() {
    return ReachesIntoWorkflow.name();
  }

  public static String name() {
    return "workflow";
  }
}
