package dev.stepguard.app.cli;

import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.service.WorkflowParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a workflow file named on the command line and reports its problems. */
final class WorkflowFiles {
  /** The exit code of a workflow file that is refused: that of a REJECTED run. */
  static final int INVALID = 3;

  private WorkflowFiles() {}

  /**
   * The workflow in {@code file} (relative to the project, like scripts, or absolute), named
   * relative to the project when it lies inside it; empty after printing every problem to {@code
   * err}.
   */
  static Optional<Workflow> read(Path file, Path projectRoot, Settings settings, PrintWriter err) {
    Path absolute = projectRoot.resolve(file).normalize();
    String name =
        absolute.startsWith(projectRoot)
            ? projectRoot.relativize(absolute).toString()
            : absolute.toString();
    byte[] content;
    try {
      content = Files.readAllBytes(absolute);
    } catch (IOException e) {
      err.println(name + ":1:1: cannot be read: " + e.getMessage());
      err.flush();
      return Optional.empty();
    }
    WorkflowParser.Result result =
        new WorkflowParser(settings.workflowAllowance()).parse(name, content);
    if (result instanceof WorkflowParser.Result.Invalid) {
      ((WorkflowParser.Result.Invalid) result).problems().forEach(err::println);
      err.flush();
      return Optional.empty();
    }
    return Optional.of(((WorkflowParser.Result.Valid) result).workflow());
  }
}
