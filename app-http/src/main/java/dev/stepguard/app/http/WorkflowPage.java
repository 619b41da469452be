package dev.stepguard.app.http;

import dev.stepguard.core.model.ExecutionSummary;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepRun;
import dev.stepguard.core.model.WorkflowRun;
import java.util.List;

/** A workflow run's page: its steps, each linking to its execution, the failed one marked. */
final class WorkflowPage {
  private WorkflowPage() {}

  /**
   * The page of {@code run}; {@code started} are the runs of its steps so far, oldest first, shown
   * while it is RUNNING (its record lists its steps once it ends).
   */
  static Pages.Workflow of(
      WorkflowRun run,
      List<ExecutionSummary> started,
      Sessions.Session session,
      boolean cancellable) {
    List<Pages.Step> steps = run.status() == Status.RUNNING ? running(started) : ended(run);
    return new Pages.Workflow(
        session,
        run.id(),
        run.name(),
        run.status().name(),
        StatusWords.css(run.status()),
        StatusWords.workflowMeaning(run.status()),
        run.status() == Status.RUNNING,
        run.status() == Status.RUNNING && cancellable && session.caller().mayRun(),
        List.of(
            Pages.Fact.of("Workflow file", run.workflow()),
            Pages.Fact.of("Workflow SHA-256", run.workflowSha256()),
            Pages.Fact.time("Started", run.startedAt()),
            Pages.Fact.time("Finished", run.finishedAt()),
            Pages.Fact.of("Asked by", PageText.requester(run.requestedBy())),
            Pages.Fact.of("Failed step", run.failedStep() == null ? "-" : run.failedStep())),
        steps,
        PageText.json(run.inputs()),
        PageText.json(run.output()),
        run.error() == null ? null : run.error().code() + ": " + run.error().message());
  }

  private static List<Pages.Step> ended(WorkflowRun run) {
    return run.steps().stream()
        .map(
            (StepRun step) ->
                new Pages.Step(
                    step.id(),
                    step.executionId() == null ? null : "/runs/" + step.executionId().value(),
                    step.status().name(),
                    StatusWords.css(step.status()),
                    step.id().equals(run.failedStep())))
        .toList();
  }

  private static List<Pages.Step> running(List<ExecutionSummary> started) {
    return started.stream()
        .map(
            step ->
                new Pages.Step(
                    step.stepId() == null ? step.script() : step.stepId(),
                    "/runs/" + step.id().value(),
                    step.status().name(),
                    StatusWords.css(step.status()),
                    false))
        .toList();
  }
}
