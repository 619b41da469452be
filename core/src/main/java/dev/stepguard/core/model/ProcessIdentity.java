package dev.stepguard.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One process, told apart from any later process that reuses its id by what no clock step can move:
 * the kernel's boot id and the process's start time in clock ticks since boot. {@code startedAt} is
 * the wall-clock start, for people to read; it moves when the clock is stepped and never decides
 * whether two identities are the same process.
 *
 * @param bootId the kernel's boot id; null in records written before stepguard recorded it
 * @param startTicks the start time in clock ticks since boot ({@code /proc/PID/stat} field 22);
 *     null in records written before stepguard recorded it
 */
public record ProcessIdentity(
    String host, long pid, Instant startedAt, String bootId, Long startTicks) {
  public ProcessIdentity {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(startedAt, "startedAt");
    if (pid <= 0) {
      throw new IllegalArgumentException("pid must be positive, was " + pid);
    }
    if ((bootId == null) != (startTicks == null)) {
      throw new IllegalArgumentException("bootId and startTicks come together or not at all");
    }
    if (startTicks != null && startTicks < 0) {
      throw new IllegalArgumentException("startTicks must not be negative, was " + startTicks);
    }
  }

  /** An identity recorded without the kernel's marks, as older records hold it. */
  public ProcessIdentity(String host, long pid, Instant startedAt) {
    this(host, pid, startedAt, null, null);
  }

  /** Whether this identity carries the boot id and start ticks that tell processes apart. */
  public boolean hasKernelMarks() {
    return bootId != null;
  }

  /**
   * Whether {@code live}, a process running now, is certainly this process: same host, pid, boot id
   * and start ticks. The wall-clock start is not compared. False when either lacks the marks.
   */
  public boolean isCertainly(ProcessIdentity live) {
    return hasKernelMarks()
        && live.hasKernelMarks()
        && host.equals(live.host)
        && pid == live.pid
        && bootId.equals(live.bootId)
        && startTicks.equals(live.startTicks);
  }

  /**
   * Whether {@code live} may be this process: certainly so, or this identity has no marks (an older
   * record) and {@code live} has the same host and pid, which cannot be ruled out.
   */
  public boolean mayBe(ProcessIdentity live) {
    if (hasKernelMarks()) {
      return isCertainly(live);
    }
    return host.equals(live.host) && pid == live.pid;
  }
}
