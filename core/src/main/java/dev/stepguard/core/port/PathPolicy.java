package dev.stepguard.core.port;

import dev.stepguard.core.model.ScriptPath;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Decides whether a script path names a regular {@code .py} file that really lies inside the
 * project, after every link on the way is resolved.
 */
public interface PathPolicy {

  /** The project's real root directory; scripts run with it as their working directory. */
  Path projectRoot();

  /** Resolves {@code script} inside the project, or says in words a person can act on why not. */
  ScriptResolution resolve(ScriptPath script);

  /**
   * Why {@code path}, given as a step's file input, may not be handed to a script, or empty when it
   * names an existing file or directory inside the project, reached without symbolic links and
   * outside stepguard's private directory (the checks of a script path, without {@code .py}).
   */
  Optional<String> inputPathProblem(String path);
}
