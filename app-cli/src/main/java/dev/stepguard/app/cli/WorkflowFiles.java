package dev.stepguard.app.cli;

import dev.stepguard.composition.Settings;
import dev.stepguard.composition.WorkflowFile;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.workflow.WorkflowParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a workflow file named on the command line and reports its problems. */
final class WorkflowFiles {
  /** The exit code of a workflow file that is refused: that of a REJECTED run. */
  static final int INVALID = 3;

  private WorkflowFiles() {}

  /**
   * The workflow in {@code file} (relative to the project, like scripts, or absolute inside it);
   * empty after printing every problem to {@code err}.
   */
  static Optional<Workflow> read(Path file, Path projectRoot, Settings settings, PrintWriter err) {
    WorkflowParser.Result result = WorkflowFile.read(projectRoot, file.toString(), settings);
    if (result instanceof WorkflowParser.Result.Invalid invalid) {
      invalid.problems().forEach(err::println);
      err.flush();
      return Optional.empty();
    }
    return Optional.of(((WorkflowParser.Result.Valid) result).workflow());
  }
}
