package dev.stepguard.core.port;

import java.util.Objects;

/** How the launched process ended, as the launcher observed it. */
public sealed interface ProcessEnd {

  /** The script exited by itself with this code. */
  record Exited(int code) implements ProcessEnd {}

  /** The script was ended by a signal that the launcher did not send. */
  record Signaled(int signal) implements ProcessEnd {}

  /** The deadline passed and the launcher ended the run with {@code signal}. */
  record DeadlinePassed(int signal) implements ProcessEnd {}

  /**
   * A cancellation was asked for and the launcher ended the run with {@code signal}, or before the
   * script got its input (signal 0: none of it ran).
   */
  record Cancelled(int signal) implements ProcessEnd {}

  /** The script wrote more than {@code limitBytes} to stdout and was killed. */
  record StdoutOverflow(long limitBytes) implements ProcessEnd {}

  /** The script ran out of its memory limit (Python raised MemoryError to the top). */
  record MemoryExhausted() implements ProcessEnd {}

  /** The run as a whole reached its memory cap (its cgroup) and the kernel killed a process. */
  record RunMemoryExhausted() implements ProcessEnd {}

  /** The launcher refused to run the script after it started, e.g. the file changed. */
  record ScriptRefused(String reason) implements ProcessEnd {
    public ScriptRefused {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
