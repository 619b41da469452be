package dev.stepguard.app.cli;

import picocli.CommandLine.Command;

/** {@code stepguard token}: the API tokens of the project's HTTP server. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Creates, lists and revokes the tokens that the HTTP API accepts.",
      "Only each token's SHA-256 is stored, beside the project's history."
    },
    subcommands = {TokenCreateCommand.class, TokenListCommand.class, TokenRevokeCommand.class})
final class TokenCommand {}
