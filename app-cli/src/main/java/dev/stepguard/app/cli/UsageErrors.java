package dev.stepguard.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.MutuallyExclusiveArgsException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A command line picocli could not read: what is wrong and what is accepted in a line or two, and
 * where the whole help is, instead of a Java exception, picocli's words and the whole help (exit
 * 2).
 */
final class UsageErrors implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException error, String[] args) {
    CommandLine command = error.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("stepguard: " + message(error, args));
    UnmatchedArgumentException.printSuggestions(error, err);
    err.println(
        "  '" + command.getCommandSpec().qualifiedName(" ") + " --help' says what it takes");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** What is wrong, in the words of this command line rather than picocli's. */
  static String message(ParameterException error, String[] args) {
    if (error instanceof UnmatchedArgumentException unmatched) {
      return unmatched(unmatched);
    }
    if (error instanceof MutuallyExclusiveArgsException) {
      return exclusive(String.valueOf(error.getMessage()));
    }
    if (error instanceof MissingParameterException) {
      Optional<String> unknown = unknownOption(error.getCommandLine().getCommandSpec(), args);
      if (unknown.isPresent() && !unknown.get().endsWith(".py")) {
        return "unknown option '" + unknown.get() + "'";
      }
      if (unknown.isPresent()) {
        return "unknown option '"
            + unknown.get()
            + "'; a script whose name starts with '-' goes after '--': "
            + error.getCommandLine().getCommandSpec().qualifiedName(" ")
            + " -- "
            + unknown.get();
      }
    }
    return message(error);
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

  private static String unmatched(UnmatchedArgumentException error) {
    List<String> words = error.getUnmatched();
    if (words.isEmpty()) {
      return String.valueOf(error.getMessage());
    }
    List<String> options = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (String word : words) {
      (word.startsWith("-") && error.isUnknownOption() ? options : others).add(word);
    }
    if (!options.isEmpty()) {
      return (options.size() == 1 ? "unknown option " : "unknown options ") + quoted(options);
    }
    return (others.size() == 1 ? "unexpected argument " : "unexpected arguments ") + quoted(others);
  }

  /** "--input=JSON, --input-file=FILE are mutually exclusive (specify only one)": the names. */
  private static String exclusive(String message) {
    String listed = message.replaceFirst("^Error: ", "");
    int end = listed.indexOf(" are mutually exclusive");
    if (end < 0) {
      return listed;
    }
    List<String> names =
        Arrays.stream(listed.substring(0, end).split(",\\s*"))
            .map(name -> name.replaceFirst("=.*", "").strip())
            .toList();
    if (names.size() == 2) {
      return "give either " + names.get(0) + " or " + names.get(1) + ", not both";
    }
    return "give only one of " + String.join(", ", names);
  }

  /** The first word before {@code --} that looks like an option this command does not have. */
  private static Optional<String> unknownOption(CommandSpec spec, String[] args) {
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      if (arg.startsWith("-") && arg.length() > 1) {
        String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        if (spec.findOption(name) == null && !spec.optionsMap().containsKey(name)) {
          return Optional.of(arg);
        }
      }
    }
    return Optional.empty();
  }

  private static String quoted(List<String> words) {
    return words.stream().map(word -> "'" + word + "'").collect(Collectors.joining(", "));
  }
}
