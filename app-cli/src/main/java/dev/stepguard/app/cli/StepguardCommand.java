package dev.stepguard.app.cli;

import picocli.CommandLine.Command;

/** The top of the command tree. */
@Command(
    name = "stepguard",
    mixinStandardHelpOptions = true,
    version = "stepguard 0.1.0",
    description = "Runs Python workflow steps safely: JSON in, JSON out, limits enforced.",
    subcommands = {
      RunCommand.class,
      WorkflowCommand.class,
      HistoryCommand.class,
      DoctorCommand.class,
      TrustCommand.class,
      TokenCommand.class
    })
final class StepguardCommand {}
