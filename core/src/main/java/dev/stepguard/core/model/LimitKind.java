package dev.stepguard.core.model;

/** Which resource limit a run hit. */
public enum LimitKind {
  OUTPUT("output size"),
  CPU("CPU time"),
  MEMORY("memory"),
  FILE_SIZE("file size"),
  PROCESSES("processes");

  private final String label;

  LimitKind(String label) {
    this.label = label;
  }

  /** Words for people: {@code CPU time}, {@code file size}. */
  public String label() {
    return label;
  }
}
