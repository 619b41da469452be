package dev.stepguard.app.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --project}, shared by every command that works on a project. */
final class ProjectOptions {
  @Option(
      names = "--project",
      paramLabel = "DIR",
      description = "The project directory (default: the current directory).")
  Path project = Path.of("");
}
