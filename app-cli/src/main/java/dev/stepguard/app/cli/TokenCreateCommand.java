package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.core.model.ApiToken;
import dev.stepguard.core.model.ApiTokens;
import dev.stepguard.core.model.TokenScope;
import dev.stepguard.core.port.TokenStore;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stepguard token create LABEL}: a new token, printed once and stored as SHA-256 only. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Creates a token and prints it once on stdout; only its SHA-256 is kept.",
      "Scope 'run' (start and cancel runs, and read) unless --read-only (read only)."
    })
final class TokenCreateCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "LABEL",
      description =
          "The token's name, recorded as requestedBy of its runs: 1 to 64 lowercase letters a-z,"
              + " digits and . _ - @ : / +, starting with a letter or digit.")
  String label;

  @Option(
      names = "--read-only",
      description = "Scope 'read': may list and show runs, never start or cancel one.")
  boolean readOnly;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final RuntimeFactory runtimes;
  private final Clock clock;

  @Inject
  TokenCreateCommand(RuntimeFactory runtimes, Clock clock) {
    this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Integer call() {
    try {
      ApiToken.checkNewLabel(label);
    } catch (IllegalArgumentException e) {
      throw new UsageError(e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    TokenScope scope = readOnly ? TokenScope.READ : TokenScope.RUN;
    String token = ApiTokens.generate();
    try {
      TokenStore tokens = ProjectTokens.of(runtimes, projectOptions, err);
      ApiTokens.lookingAlike(label, tokens.list())
          .ifPresent(
              held -> {
                throw new IllegalArgumentException(
                    "the label '"
                        + label
                        + "' looks like the existing label '"
                        + held.label()
                        + "'");
              });
      tokens.add(new ApiToken(label, scope, ApiTokens.sha256Hex(token), clock.instant()));
    } catch (IllegalArgumentException taken) {
      err.println(
          "stepguard: "
              + Printable.safe(taken.getMessage())
              + "; choose another label (to replace a token: create one under a new label, then"
              + " revoke the old one)");
      return ExitCodes.NOT_DONE;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(token);
    out.flush();
    err.println(
        "stepguard: created token '"
            + label
            + "' with scope "
            + scope.label()
            + (scope.mayRun() ? " (may start and cancel runs, and read)" : " (may only read)")
            + "; it is shown only this once: keep it now");
    err.flush();
    return 0;
  }
}
