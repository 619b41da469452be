package dev.stepguard.app.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top of the command tree. Its subcommands are added by {@link #tree}, only the one that the
 * command line names when it names one: picocli reflects over every command it is given and the
 * injector builds each, which cost {@code stepguard run} a fifth of its start-up for commands it
 * never runs.
 */
@Command(
    name = "stepguard",
    mixinStandardHelpOptions = true,
    version = "stepguard 0.1.0",
    description = "Runs Python workflow steps safely: JSON in, JSON out, limits enforced.")
final class StepguardCommand {
  /** A subcommand: its name on the command line, and its class. */
  record Subcommand(String name, Class<?> type) {}

  /** Every subcommand, in the order the usage help lists them. */
  static final List<Subcommand> SUBCOMMANDS =
      List.of(
          new Subcommand("run", RunCommand.class),
          new Subcommand("workflow", WorkflowCommand.class),
          new Subcommand("history", HistoryCommand.class),
          new Subcommand("doctor", DoctorCommand.class),
          new Subcommand("trust", TrustCommand.class),
          new Subcommand("token", TokenCommand.class));

  /**
   * Whether {@code args} name a command that opens the project's history: every subcommand but
   * {@code trust}.
   */
  static boolean opensTheHistory(String[] args) {
    return args.length > 0
        && !"trust".equals(args[0])
        && SUBCOMMANDS.stream().anyMatch(sub -> sub.name().equals(args[0]));
  }

  /**
   * The command tree that {@code args} need: the subcommand that its first argument names, or every
   * subcommand when it names none (for the usage help, the version, and picocli's suggestions).
   */
  static CommandLine tree(String[] args, CommandLine.IFactory factory) {
    CommandLine top = new CommandLine(StepguardCommand.class, factory);
    List<Subcommand> named =
        args.length == 0
            ? List.of()
            : SUBCOMMANDS.stream().filter(sub -> sub.name().equals(args[0])).toList();
    for (Subcommand sub : named.isEmpty() ? SUBCOMMANDS : named) {
      top.addSubcommand(sub.name(), new CommandLine(sub.type(), factory));
    }
    return top;
  }
}
