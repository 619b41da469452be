package dev.stepguard.app.cli;

/** A mistake in what the user asked for: the command prints the message and exits 2. */
final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageError(String message) {
    super(message);
  }
}
