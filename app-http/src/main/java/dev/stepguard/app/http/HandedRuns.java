package dev.stepguard.app.http;

import dev.stepguard.composition.HandOff;
import dev.stepguard.composition.HandOffServer;
import dev.stepguard.composition.ProjectRuntime;
import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The runs the command line hands to this server: run like the server's own (its slots and queue,
 * its history, its launcher), configured exactly as the command line alone would configure them.
 * When they would be configured otherwise (another project, another operator config or PATH, a
 * changed stepguard.yaml, another isolation) or the server cannot take them now, they are declined
 * and the command line runs them alone. A taken run is recorded and queued but starts only when the
 * command line says it still waits for it ({@link ServerRun#held}); otherwise it is withdrawn.
 */
final class HandedRuns implements HandOffServer.Runs {
  private final ProjectRuntime runtime;
  private final RuntimeFactory runtimes;
  private final Map<String, String> env;
  private final RunSlots slots;
  private final LiveRuns live;
  private final Metrics metrics;

  HandedRuns(
      ProjectRuntime runtime,
      RuntimeFactory runtimes,
      Map<String, String> hostEnvironment,
      RunSlots slots,
      LiveRuns live,
      Metrics metrics) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
    this.env = HandOff.environment(hostEnvironment);
    this.slots = Objects.requireNonNull(slots, "slots");
    this.live = Objects.requireNonNull(live, "live");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public HandOffServer.Taken take(HandOff.Request request, Requester requester) {
    if (!request.project().equals(runtime.projectRoot())) {
      return declined("this server runs another project, " + runtime.projectRoot());
    }
    if (!request.env().equals(env)) {
      return declined("the client's environment would configure the run otherwise");
    }
    List<String> notices = new ArrayList<>();
    Settings settings;
    try {
      settings = runtimes.settings(request.project(), notices::add).forServer();
    } catch (RuntimeException e) {
      return declined(e.getMessage());
    }
    if (!settings.equals(runtime.settings())) {
      return declined("the configuration changed since the server started");
    }
    if (request.isolation() != null
        && !settings.withIsolation(request.isolation()).equals(settings)) {
      return declined("the run asks for another isolation than the server's");
    }
    if (request.timeout() != null) {
      settings = settings.withTimeout(request.timeout());
    }
    if (request.input().getBytes(StandardCharsets.UTF_8).length
        > settings.baseLimits().inputBytes()) {
      return declined("the input is over the input limit");
    }
    ExecutionRequest run;
    try {
      run =
          ExecutionRequest.standalone(
              request.script(),
              request.input(),
              settings.timeout(),
              settings.grace(),
              settings.limitsFor(settings.timeout()),
              requester);
    } catch (RuntimeException e) {
      return declined(e.getMessage());
    }
    return start(run, notices);
  }

  private HandOffServer.Taken start(ExecutionRequest request, List<String> notices) {
    String id = ExecutionId.random().value();
    ScriptRuns kind = new ScriptRuns(runtime, request);
    ServerRun<ExecutionRecord> run = ServerRun.held(id, kind, slots, metrics);
    try {
      run.enqueue();
    } catch (ApiProblem busy) {
      return declined(busy.getMessage());
    }
    ExecutionRecord accepted;
    try {
      accepted = kind.accept(id);
    } catch (RuntimeException e) {
      run.notAccepted(e);
      return declined("the history did not record the run: " + e.getMessage());
    }
    if (accepted.status() == Status.RUNNING) {
      live.add(id, run::cancel, run.end());
    }
    run.accepted(accepted);
    return new HandOffServer.Taken.Accepted(id, notices, run.end(), run::cancel, run::go);
  }

  private static HandOffServer.Taken declined(String reason) {
    return new HandOffServer.Taken.Declined(reason);
  }
}
