package dev.stepguard.core.port;

/** The execution history cannot be read or written; the message says what to check. */
public final class HistoryUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HistoryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
