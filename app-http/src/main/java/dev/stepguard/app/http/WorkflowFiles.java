package dev.stepguard.app.http;

import dev.stepguard.composition.Settings;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.workflow.WorkflowParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a workflow file that a request names: a relative path that stays inside the project (links
 * included), a regular file no larger than any workflow, then parsed with the operator's allowance.
 */
final class WorkflowFiles {
  private WorkflowFiles() {}

  static Workflow read(Path projectRoot, String named, Settings settings) {
    Path root;
    Path file;
    try {
      if (named.isEmpty() || named.indexOf('\0') >= 0 || Path.of(named).isAbsolute()) {
        throw invalid(named, "the workflow must be a path relative to the project");
      }
      root = projectRoot.toRealPath();
      Path asked = root.resolve(named).normalize();
      if (!asked.startsWith(root)) {
        throw invalid(named, "the workflow file is outside the project");
      }
      if (!Files.exists(asked, LinkOption.NOFOLLOW_LINKS)) {
        throw invalid(named, "the workflow file does not exist in the project");
      }
      file = asked.toRealPath();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        throw invalid(named, "the workflow file is not a regular file inside the project");
      }
    } catch (IOException | InvalidPathException e) {
      throw invalid(named, "the workflow file cannot be read: " + e.getMessage());
    }
    byte[] content = bounded(file, named);
    String name = root.relativize(file).toString();
    WorkflowParser.Result result =
        new WorkflowParser(settings.workflowAllowance()).parse(name, content);
    if (result instanceof WorkflowParser.Result.Invalid bad) {
      throw new ApiProblem(
          ProblemType.INVALID_WORKFLOW,
          "the workflow file " + name + " is invalid; nothing was run",
          Map.of("problems", bad.problems().stream().map(Object::toString).toList()),
          Map.of());
    }
    return ((WorkflowParser.Result.Valid) result).workflow();
  }

  private static byte[] bounded(Path file, String named) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] content = in.readNBytes(WorkflowParser.MAX_BYTES + 1);
      if (content.length > WorkflowParser.MAX_BYTES) {
        throw invalid(named, "the workflow file is far larger than any workflow");
      }
      return content;
    } catch (IOException e) {
      throw invalid(named, "the workflow file cannot be read: " + e.getMessage());
    }
  }

  private static ApiProblem invalid(String named, String why) {
    return new ApiProblem(
        ProblemType.INVALID_WORKFLOW,
        why + " ('" + named + "'); nothing was run",
        Map.of("problems", java.util.List.of(named + ":1:1: " + why)),
        Map.of());
  }
}
