package dev.stepguard.app.cli;

import dev.stepguard.composition.Settings;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.workflow.WorkflowParser;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
    if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
      err.println("stepguard: " + name + ": the workflow file does not exist");
      err.flush();
      return Optional.empty();
    }
    BoundedFile.Read read =
        BoundedFile.read(
            absolute,
            WorkflowParser.MAX_BYTES,
            "far larger than any workflow (the most stepguard reads)");
    if (read instanceof BoundedFile.Read.Refused refused) {
      err.println(name + ":1:1: the workflow file " + refused.reason());
      err.flush();
      return Optional.empty();
    }
    byte[] content = ((BoundedFile.Read.Content) read).bytes();
    WorkflowParser.Result result =
        new WorkflowParser(settings.workflowAllowance()).parse(name, content);
    if (result instanceof WorkflowParser.Result.Invalid invalid) {
      invalid.problems().forEach(err::println);
      err.flush();
      return Optional.empty();
    }
    return Optional.of(((WorkflowParser.Result.Valid) result).workflow());
  }
}
