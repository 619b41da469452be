package dev.stepguard.app.cli;

import dev.stepguard.composition.OperatorTrust;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stepguard trust}: the operator vouches for the exact content of a project's {@code
 * stepguard.yaml}, so that what it loosens applies too; any edit withdraws the trust.
 */
@Command(
    name = "trust",
    mixinStandardHelpOptions = true,
    description = {
      "Trusts the exact content of the project's stepguard.yaml, recorded by SHA-256 in the"
          + " operator config, so that its loosening settings (python, isolation: process,"
          + " sandbox.writable, higher limits, history.url, ...) apply too.",
      "Any later edit of the file makes it untrusted again. Review the file first."
    })
final class TrustCommand implements Callable<Integer> {
  @Option(names = "--revoke", description = "Withdraw the trust instead.")
  boolean revoke;

  @Mixin ProjectOptions projectOptions;

  @Spec CommandSpec spec;

  private final OperatorTrust operatorTrust;

  @Inject
  TrustCommand(OperatorTrust operatorTrust) {
    this.operatorTrust = Objects.requireNonNull(operatorTrust, "operatorTrust");
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (revoke) {
      OperatorTrust.Change revoked = operatorTrust.revoke(projectOptions.root());
      out.println(
          Printable.safe(
              "withdrew the trust in "
                  + revoked.projectFile()
                  + " ("
                  + revoked.recordedIn()
                  + ")"));
      out.flush();
      return 0;
    }
    OperatorTrust.Change trusted = operatorTrust.trust(projectOptions.root());
    String sha256 = trusted.sha256().orElseThrow();
    out.println(
        "trusted "
            + Printable.safe(String.valueOf(trusted.projectFile()))
            + " with SHA-256 "
            + sha256
            + " (recorded in "
            + Printable.safe(String.valueOf(trusted.recordedIn()))
            + ")");
    out.println(
        trusted.nowApplied().isEmpty()
            ? "  it loosens nothing: it applied whole before too"
            : "  now applied as well: " + Printable.safe(String.join(", ", trusted.nowApplied())));
    out.println("  any edit of the file makes it untrusted again");
    out.flush();
    return 0;
  }
}
