package dev.stepguard.app.cli;

import picocli.CommandLine.Command;

/** {@code stepguard history}: audits past runs. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Lists, shows and prunes the runs recorded in the project's history.",
    subcommands = {HistoryListCommand.class, HistoryShowCommand.class, HistoryPruneCommand.class})
final class HistoryCommand {}
