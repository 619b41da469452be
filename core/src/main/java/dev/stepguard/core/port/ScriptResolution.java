package dev.stepguard.core.port;

import dev.stepguard.core.model.ScriptPath;
import java.util.Objects;

/** The answer of a {@link PathPolicy}: the script may run, or it is refused with a reason. */
public sealed interface ScriptResolution {

  /** The script exists inside the project as a regular file. */
  record Resolved(ScriptPath script) implements ScriptResolution {
    public Resolved {
      Objects.requireNonNull(script, "script");
    }
  }

  /** The script may not run; {@code reason} says why. */
  record Refused(String reason) implements ScriptResolution {
    public Refused {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
