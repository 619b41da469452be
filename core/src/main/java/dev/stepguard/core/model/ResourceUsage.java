package dev.stepguard.core.model;

import java.util.Set;

/**
 * What a run used, as the kernel counted it, and which caps held it; -1 where a number is unknown.
 *
 * @param cpuMs CPU time of the script's process and the children it waited for
 * @param maxRssKib peak resident memory of the script's main process
 * @param runPeakKib peak memory of the whole run, counted by its cgroup
 * @param memoryCap {@link ResourceCap#RUN} or {@link ResourceCap#PROCESS}; null where no process
 *     ran
 * @param processCap {@link ResourceCap#RUN}, {@link ResourceCap#USER} or {@link ResourceCap#NONE};
 *     null where no process ran
 */
public record ResourceUsage(
    long cpuMs, long maxRssKib, long runPeakKib, ResourceCap memoryCap, ResourceCap processCap) {
  public static final ResourceUsage UNKNOWN = new ResourceUsage(-1, -1);

  private static final Set<ResourceCap> MEMORY_CAPS = Set.of(ResourceCap.RUN, ResourceCap.PROCESS);

  public ResourceUsage {
    if (memoryCap != null && !MEMORY_CAPS.contains(memoryCap)) {
      throw new IllegalArgumentException(
          "memory is capped per run or per process, not " + memoryCap);
    }
    if (processCap == ResourceCap.PROCESS) {
      throw new IllegalArgumentException("processes are capped per run, per user or not at all");
    }
  }

  /** What the script's process used, with no word on caps. */
  public ResourceUsage(long cpuMs, long maxRssKib) {
    this(cpuMs, maxRssKib, -1, null, null);
  }

  /** This usage with what the run as a whole used and the caps that held it. */
  public ResourceUsage withRun(long peakKib, ResourceCap memory, ResourceCap processes) {
    return new ResourceUsage(cpuMs, maxRssKib, peakKib, memory, processes);
  }
}
