package dev.stepguard.app.cli;

import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.core.port.TokenStore;
import java.io.PrintWriter;

/** The token store of the project that {@code --project} (or discovery) names. */
final class ProjectTokens {
  private ProjectTokens() {}

  static TokenStore of(RuntimeFactory runtimes, ProjectOptions project, PrintWriter err) {
    return runtimes
        .open(project.root(), runtimes.settings(project.root(), Notices.printedTo(err)))
        .tokens();
  }
}
