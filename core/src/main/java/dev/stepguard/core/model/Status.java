package dev.stepguard.core.model;

/** Every state a run can be in; see CONTRACT.md section 2. */
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
