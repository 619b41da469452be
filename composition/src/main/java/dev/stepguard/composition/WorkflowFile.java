package dev.stepguard.composition;

import dev.stepguard.adapters.process.ProcessAdapterModule;
import dev.stepguard.core.model.ContainedPath;
import dev.stepguard.core.workflow.WorkflowParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a workflow file of the project for either entry point: a path inside the project that stays
 * inside it once links are followed (a link to {@code /etc/shadow} must not have its lines echoed
 * in parse errors), a regular file no larger than any workflow, parsed with the operator's
 * allowance. Every refusal is a problem at {@code FILE:1:1}, as parse errors are.
 */
public final class WorkflowFile {
  private WorkflowFile() {}

  /**
   * The workflow that {@code named} (relative to the project, or absolute inside it) holds, or
   * everything wrong with it; problems name the file relative to the project where it is inside.
   */
  public static WorkflowParser.Result read(Path projectRoot, String named, Settings settings) {
    Path root;
    try {
      if (named.isBlank() || named.indexOf('\0') >= 0) {
        return refused(named, "a workflow is named by its path inside the project");
      }
      root = projectRoot.toRealPath();
    } catch (IOException e) {
      return refused(named, "the workflow file cannot be read: " + e.getMessage());
    }
    String relative = named;
    Path given = projectRoot.toAbsolutePath().normalize();
    if (named.startsWith("/") && !named.startsWith(root + "/") && given.startsWith("/")) {
      Path asked = Path.of(named).normalize();
      if (asked.startsWith(given)) {
        relative = given.relativize(asked).toString();
      }
    }
    if (inStateDirectory(root, Path.of(relative))) {
      return refused(named, OUT_OF_BOUNDS);
    }
    ContainedPath.Found found = ContainedPath.walk(ProcessAdapterModule.disk(), root, relative);
    if (!(found instanceof ContainedPath.Found.Inside inside)) {
      return refused(named, whyNot(found));
    }
    Path file = inside.real();
    if (inStateDirectory(root, file)) {
      return refused(named, OUT_OF_BOUNDS);
    }
    String name = root.relativize(file).toString();
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return refused(name, "the workflow file is not a regular file");
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] content = in.readNBytes(WorkflowParser.MAX_BYTES + 1);
      if (content.length > WorkflowParser.MAX_BYTES) {
        return refused(
            name,
            "the workflow file is larger than "
                + WorkflowParser.MAX_BYTES / (1024 * 1024)
                + "MiB, far larger than any workflow (the most stepguard reads)");
      }
      return new WorkflowParser(settings.workflowAllowance()).parse(name, content);
    } catch (IOException e) {
      return refused(name, "the workflow file cannot be read: " + e.getMessage());
    }
  }

  /**
   * Why a file outside the project, in its {@code .stepguard} (the history, its lock and the
   * server's token and socket, never a workflow) or through a link that leads to nothing is not
   * read: one answer for all, so that it tells nothing of what is there.
   */
  private static final String OUT_OF_BOUNDS =
      "the workflow file is outside the project or in its .stepguard (links count where they"
          + " lead), or a link leads to nothing";

  /** Whether {@code path} (relative to {@code root}, or absolute) is in {@code .stepguard}. */
  private static boolean inStateDirectory(Path root, Path path) {
    Path inside = path.normalize();
    if (inside.isAbsolute()) {
      if (!inside.startsWith(root)) {
        return false;
      }
      inside = root.relativize(inside);
    }
    return inside.getNameCount() > 0
        && inside.getName(0).toString().equals(ProjectDiscovery.STATE_DIRECTORY);
  }

  private static WorkflowParser.Result refused(String name, String why) {
    return new WorkflowParser.Result.Invalid(List.of(new WorkflowParser.Problem(name, 1, 1, why)));
  }

  private static String whyNot(ContainedPath.Found found) {
    if (found.throughLink() || found instanceof ContainedPath.Found.Outside) {
      return OUT_OF_BOUNDS;
    }
    if (found instanceof ContainedPath.Found.Unreadable unreadable) {
      return "the workflow file cannot be read: " + unreadable.why();
    }
    return "the workflow file does not exist";
  }
}
