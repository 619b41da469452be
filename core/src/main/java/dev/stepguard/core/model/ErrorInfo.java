package dev.stepguard.core.model;

import java.util.Objects;

/** Why a run did not succeed: a stable code for programs and a sentence for people. */
public record ErrorInfo(String code, String message) {
  public ErrorInfo {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
