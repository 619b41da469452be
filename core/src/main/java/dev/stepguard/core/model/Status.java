package dev.stepguard.core.model;

/**
 * Every state a run can be in: RUNNING while it runs, then exactly one terminal status (what each
 * means is in docs/script-authoring.md, "How a run can end"), or ABANDONED when the stepguard that
 * ran it stopped during the run and a later command closed it (docs/history.md, "Crash recovery").
 */
public enum Status {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CRASHED,
  TIMED_OUT,
  LIMIT_EXCEEDED,
  INVALID_OUTPUT,
  REJECTED,
  LAUNCH_FAILED,
  CANCELLED,
  ABANDONED
}
