package dev.stepguard.app.cli;

import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
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

  private final OperatorConfigLocation location;

  @Inject
  TrustCommand(OperatorConfigLocation location) {
    this.location = Objects.requireNonNull(location, "location");
  }

  @Override
  public Integer call() {
    Path root = projectOptions.project.toAbsolutePath().normalize();
    Path real = ConfigLoader.realFile(root);
    OperatorConfig operator = location.load();
    String where = operator.file().map(Path::toString).orElse("the operator config");
    PrintWriter out = spec.commandLine().getOut();
    if (revoke) {
      operator.setTrust(real, null);
      out.println("withdrew the trust in " + real + " (" + where + ")");
      out.flush();
      return 0;
    }
    ConfigText text =
        ConfigText.read(root.resolve(ConfigLoader.FILE_NAME), false)
            .orElseThrow(
                () -> new UsageError("there is no " + ConfigLoader.FILE_NAME + " in " + root));
    Settings allowed = operator.settings();
    List<String> loosening =
        Loosening.merge(allowed, SettingsReader.apply(allowed, text, root), root).refused();
    ConfigLoader.load(root, operator);
    operator.setTrust(real, text.sha256());
    out.println(
        "trusted " + real + " with SHA-256 " + text.sha256() + " (recorded in " + where + ")");
    out.println(
        loosening.isEmpty()
            ? "  it loosens nothing: it applied whole before too"
            : "  now applied as well: " + String.join(", ", loosening));
    out.println("  any edit of the file makes it untrusted again");
    out.flush();
    return 0;
  }
}
