package dev.stepguard.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line picocli could not read: what is wrong and what is accepted in a line or two, and
 * where the whole help is, instead of a Java exception and the whole help (exit 2).
 */
final class UsageErrors implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException error, String[] args) {
    CommandLine command = error.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("stepguard: " + message(error));
    UnmatchedArgumentException.printSuggestions(error, err);
    err.println(
        "  '" + command.getCommandSpec().qualifiedName(" ") + " --help' says what it takes");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** Picocli's message without the Java class names it adds for an unexpected converter error. */
  static String message(ParameterException error) {
    String message = String.valueOf(error.getMessage());
    Throwable cause = error.getCause();
    if (cause != null && cause.getMessage() != null && message.contains("java.")) {
      int colon = message.indexOf(": ");
      String what = colon < 0 ? "Invalid value" : message.substring(0, colon);
      return what + ": " + cause.getMessage();
    }
    return message;
  }
}
