package dev.stepguard.app.http;

import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.core.history.HistoryQueries;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.Cancellation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Script runs of {@code request}, as the server starts them: through the core's executor. */
final class ScriptRuns implements RunKind<ExecutionRecord> {
  private final ProjectRuntime runtime;
  private final ExecutionRequest request;

  ScriptRuns(ProjectRuntime runtime, ExecutionRequest request) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.request = Objects.requireNonNull(request, "request");
  }

  @Override
  public String route() {
    return "executions";
  }

  @Override
  public String idField() {
    return "executionId";
  }

  @Override
  public String location(String id) {
    return ExecutionRoutes.location(id);
  }

  @Override
  public ExecutionRecord accept(String id) {
    return runtime.executor().accept(new ExecutionId(id), request);
  }

  @Override
  public ExecutionRecord run(String id, Cancellation cancellation) {
    return runtime.executor().executeAccepted(new ExecutionId(id), request, cancellation);
  }

  @Override
  public Optional<ExecutionRecord> withdraw(String id, CancelRequest cancel) {
    return runtime.executor().withdraw(new ExecutionId(id), cancel);
  }

  @Override
  public Optional<ExecutionRecord> find(String id) {
    return runtime.history().show(id) instanceof HistoryQueries.Lookup.Found found
        ? Optional.of(found.record())
        : Optional.empty();
  }

  @Override
  public String id(ExecutionRecord record) {
    return record.id().value();
  }

  @Override
  public Status status(ExecutionRecord record) {
    return record.status();
  }

  @Override
  public String error(ExecutionRecord record) {
    return record.error() == null ? null : record.error().message();
  }

  @Override
  public Duration duration(ExecutionRecord record) {
    return Duration.ofMillis(record.durationMs());
  }
}
