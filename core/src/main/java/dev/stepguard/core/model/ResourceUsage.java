package dev.stepguard.core.model;

/** What the script's main process used, as the kernel counted it; -1 where unknown. */
public record ResourceUsage(long cpuMs, long maxRssKib) {
  public static final ResourceUsage UNKNOWN = new ResourceUsage(-1, -1);
}
