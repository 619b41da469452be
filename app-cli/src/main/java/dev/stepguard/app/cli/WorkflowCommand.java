package dev.stepguard.app.cli;

import picocli.CommandLine.Command;

/** {@code stepguard workflow}: checks and runs workflow files. */
@Command(
    name = "workflow",
    mixinStandardHelpOptions = true,
    description = "Validates and runs workflow files: Python steps whose outputs feed later steps.",
    subcommands = {WorkflowValidateCommand.class, WorkflowRunCommand.class})
final class WorkflowCommand {}
