package dev.stepguard.core.execution.planted;

import dev.stepguard.core.workflow.planted.ReachesIntoExecution;

/** Breaks core's capability rules on purpose: execution using workflow, closing a cycle. */
public final class ReachesIntoWorkflow {
  private ReachesIntoWorkflow() {}

  public static String callsTheWorkflowSide() {
    return ReachesIntoExecution.name();
  }

  public static String name() {
    return "execution";
  }
}
