package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeFactory;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepguard token revoke LABEL}: the token is refused from now on. */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Revokes the token with this label: requests with it are refused from now on.",
      "The label stays the revoked token's: a new token needs another label."
    })
final class TokenRevokeCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "LABEL",
      description = "The label of the token, as 'token list' shows it.")
  String label;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final RuntimeFactory runtimes;
  private final Clock clock;

  @Inject
  TokenRevokeCommand(RuntimeFactory runtimes, Clock clock) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Integer call() {
    if (!ProjectTokens.of(runtimes, projectOptions, spec.commandLine().getErr())
        .revoke(label, clock.instant())) {
      spec.commandLine()
          .getErr()
          .println(
              "stepguard: no accepted token is labelled '"
                  + Printable.safe(label)
                  + "' ('stepguard token list' shows them)");
      return ExitCodes.NOT_DONE;
    }
    spec.commandLine()
        .getOut()
        .println(
            "revoked token '"
                + Printable.safe(label)
                + "': requests with it are refused from now on; the label stays its own, so it"
                + " cannot be given to a new token");
    spec.commandLine().getOut().flush();
    return 0;
  }
}
