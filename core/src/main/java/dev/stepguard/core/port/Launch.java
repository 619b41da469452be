package dev.stepguard.core.port;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ProcessIdentity;
import dev.stepguard.core.model.ScriptPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One launch, fully prepared: a validated script inside {@code projectRoot}, the bytes for its
 * stdin, and the deadline and limits to enforce.
 *
 * @param onStart told the identity of the process once it exists, before the script gets its input
 *     (and so before any line of it runs); if it throws, the launcher kills the process unrun and
 *     returns {@link LaunchResult.NotStarted} with the exception's message
 * @param cancellation watched while the script runs: a request ends it with SIGTERM and the grace
 *     period, an urgent one with SIGKILL at once
 */
public record Launch(
    ExecutionId id,
    Path projectRoot,
    ScriptPath script,
    byte[] stdin,
    Duration timeout,
    Duration grace,
    Limits limits,
    Map<String, String> env,
    Consumer<ProcessIdentity> onStart,
    Cancellation cancellation) {

  public Launch {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(projectRoot, "projectRoot");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(limits, "limits");
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    Objects.requireNonNull(onStart, "onStart");
    Objects.requireNonNull(cancellation, "cancellation");
  }

  /** A launch whose start nobody needs to hear about and that nobody can cancel. */
  public Launch(
      ExecutionId id,
      Path projectRoot,
      ScriptPath script,
      byte[] stdin,
      Duration timeout,
      Duration grace,
      Limits limits,
      Map<String, String> env) {
    this(
        id,
        projectRoot,
        script,
        stdin,
        timeout,
        grace,
        limits,
        env,
        process -> {},
        new Cancellation());
  }
}
