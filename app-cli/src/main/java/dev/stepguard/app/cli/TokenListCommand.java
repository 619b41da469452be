package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.core.model.ApiToken;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stepguard token list}: label, scope and creation time of each token, never a hash. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the tokens by label: scope, when each was created and revoked (never the token or its"
          + " hash); revoked tokens are listed too, since their labels stay theirs.",
      "With --json {\"items\": [{\"label\", \"scope\", \"createdAt\", \"revokedAt\"}, ...]}."
    })
final class TokenListCommand implements Callable<Integer> {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Option(names = "--json", description = "Print the tokens as JSON.")
  boolean json;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final RuntimeFactory runtimes;

  @Inject
  TokenListCommand(RuntimeFactory runtimes) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
  }

  @Override
  public Integer call() {
    List<ApiToken> tokens =
        ProjectTokens.of(runtimes, projectOptions, spec.commandLine().getErr()).list();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      RecordPrinter.json(out, Map.of("items", tokens));
      return 0;
    }
    if (tokens.isEmpty()) {
      out.println("no tokens: 'stepguard token create LABEL' makes one");
    } else {
      String row = "%-" + ApiToken.MAX_LABEL / 2 + "s  %-5s  %-20s  %s%n";
      out.printf(row, "LABEL", "SCOPE", "CREATED", "REVOKED");
      for (ApiToken token : tokens) {
        out.printf(
            row,
            Printable.safe(token.label()),
            token.scope().label(),
            WHEN.format(token.createdAt()),
            token.revoked() ? WHEN.format(token.revokedAt()) : "-");
      }
    }
    out.flush();
    return 0;
  }
}
