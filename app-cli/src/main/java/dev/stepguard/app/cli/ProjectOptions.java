package dev.stepguard.app.cli;

import dev.stepguard.composition.ProjectDiscovery;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * {@code --project}, shared by every command that works on a project. Without it, the project is
 * found like git finds a repository: see {@link ProjectDiscovery}.
 */
final class ProjectOptions {
  @Option(
      names = "--project",
      paramLabel = "DIR",
      description =
          "The project directory (default: the nearest directory upwards from the current one"
              + " that holds stepguard.yaml or .stepguard/, else the current directory).")
  Path project;

  private final WorkingDirectory here;
  private Path root;
  private String how;

  @Inject
  ProjectOptions(WorkingDirectory here) {
    this.here = Objects.requireNonNull(here, "here");
  }

  /**
   * The project root, absolute: the one named by {@code --project}, else the discovered one. Found
   * once, before anything is written, so that {@link #how()} tells what was there.
   */
  Path root() {
    if (root == null) {
      if (project != null) {
        root = here.path().resolve(project).normalize();
        how = "named by --project";
      } else {
        root = ProjectDiscovery.find(here.path());
        how =
            ProjectDiscovery.isProject(root)
                ? "found from " + here.path()
                : "the current directory (no stepguard.yaml or .stepguard/ above it)";
      }
    }
    return root;
  }

  /** How the project was chosen, for {@code doctor}. */
  String how() {
    root();
    return how;
  }

  /**
   * A path the user gave on the command line (a script, a workflow file), as the project names it:
   * when the project was found rather than named and the user stands inside it, relative to where
   * the user stands (as {@code git add} takes paths), stored relative to the project root;
   * otherwise as given, relative to the project.
   */
  String inProject(String given) {
    Path top = root();
    Path where = here.path();
    if (project != null || !where.startsWith(top)) {
      return given;
    }
    // A path that leaves the project stays named from the root, so that it is refused as such.
    return top.relativize(where.resolve(given).normalize()).toString();
  }

  /** A local file named on the command line (not a project path): from where the user stands. */
  Path fromHere(Path given) {
    return here.path().resolve(given);
  }
}
