package dev.stepguard.app.http;

import dev.stepguard.composition.Settings;
import dev.stepguard.composition.WorkflowFile;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.workflow.WorkflowParser;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a workflow file that a request names: a path relative to the project (a request never names
 * an absolute one), read as the command line reads it ({@link WorkflowFile}).
 */
final class WorkflowFiles {
  private WorkflowFiles() {}

  static Workflow read(Path projectRoot, String named, Settings settings) {
    if (absolute(named)) {
      throw invalid(
          List.of(named + ":1:1: the workflow must be a path relative to the project"),
          "the workflow must be a path relative to the project ('" + named + "'); nothing was run");
    }
    WorkflowParser.Result result = WorkflowFile.read(projectRoot, named, settings);
    if (result instanceof WorkflowParser.Result.Invalid bad) {
      List<String> problems = bad.problems().stream().map(Object::toString).toList();
      throw invalid(
          problems,
          "the workflow file "
              + named
              + " cannot be run: "
              + bad.problems().get(0).message()
              + "; nothing was run");
    }
    return ((WorkflowParser.Result.Valid) result).workflow();
  }

  private static boolean absolute(String named) {
    try {
      return Path.of(named).isAbsolute();
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static ApiProblem invalid(List<String> problems, String detail) {
    return new ApiProblem(
        ProblemType.INVALID_WORKFLOW, detail, Map.of("problems", problems), Map.of());
  }
}
