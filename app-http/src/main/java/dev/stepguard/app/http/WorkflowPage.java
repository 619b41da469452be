package dev.stepguard.app.http;

import dev.stepguard.core.model.Status;
import dev.stepguard.core.model.StepRun;
import dev.stepguard.core.model.WorkflowRun;
import java.util.List;

/** A workflow run's page: its steps, each linking to its execution, the failed one marked. */
final class WorkflowPage {
  private WorkflowPage() {}

  static Pages.Workflow of(WorkflowRun run, Sessions.Session session, boolean cancellable) {
    List<Pages.Step> steps =
        run.steps().stream()
            .map(
                (StepRun step) ->
                    new Pages.Step(
                        step.id(),
                        step.executionId() == null ? null : "/runs/" + step.executionId().value(),
                        step.status().name(),
                        StatusWords.css(step.status()),
                        step.id().equals(run.failedStep())))
            .toList();
    return new Pages.Workflow(
        session,
        run.id(),
        run.name(),
        run.status().name(),
        StatusWords.css(run.status()),
        StatusWords.meaning(run.status()),
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
}
