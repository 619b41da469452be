package dev.stepguard.composition;

/**
 * A configuration that cannot apply: a file that is not valid ({@code FILE:LINE:COLUMN: message}
 * where the place is known), a setting no file may hold, or a project directory that does not
 * exist. Nothing has run when it is thrown; an entry point shows the message as it is (the command
 * line as a usage error, exit 2).
 */
public final class ConfigurationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A configuration problem, said in one sentence that names the file or the setting. */
  public ConfigurationException(String message) {
    super(message);
  }
}
