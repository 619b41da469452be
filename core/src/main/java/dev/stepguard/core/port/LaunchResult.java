package dev.stepguard.core.port;

import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.model.ResourceUsage;
import java.util.Objects;

/** What a {@link ProcessLauncher} saw: the process ran to some end, or never started. */
public sealed interface LaunchResult {

  /**
   * The process ran and is gone.
   *
   * @param stdout what the script wrote to stdout, at most the stdout limit
   * @param stderr the tail of what the script wrote to stderr, decoded leniently
   * @param stderrTruncated whether earlier stderr was dropped to keep the tail bounded
   * @param scriptSha256 the SHA-256 of the script bytes that ran, or null if it never ran
   */
  record Completed(
      ProcessEnd end,
      byte[] stdout,
      String stderr,
      boolean stderrTruncated,
      ResourceUsage usage,
      Interpreter interpreter,
      String scriptSha256)
      implements LaunchResult {
    public Completed {
      Objects.requireNonNull(end, "end");
      Objects.requireNonNull(stdout, "stdout");
      Objects.requireNonNull(stderr, "stderr");
      Objects.requireNonNull(usage, "usage");
      Objects.requireNonNull(interpreter, "interpreter");
    }
  }

  /**
   * No process ran the script.
   *
   * @param reason what went wrong and what to do about it
   * @param interpreter the interpreter that would have run it, or null if none was found
   */
  record NotStarted(String reason, Interpreter interpreter) implements LaunchResult {
    public NotStarted {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
