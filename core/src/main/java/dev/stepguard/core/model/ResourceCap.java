package dev.stepguard.core.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What held a resource of a run: the whole run, each process, the script's user, or nothing. */
public enum ResourceCap {
  /** A cgroup over every process of the run. */
  RUN,
  /** A resource limit on each process on its own ({@code RLIMIT_AS}). */
  PROCESS,
  /** A resource limit counted over every process of the script's user ({@code RLIMIT_NPROC}). */
  USER,
  /** Nothing. */
  NONE;

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
