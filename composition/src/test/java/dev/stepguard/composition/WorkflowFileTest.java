package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.workflow.WorkflowParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A workflow file is read only from inside the project, whatever path or link names it. */
class WorkflowFileTest {
  private static final String FLOW = "name: f\nsteps:\n  - id: a\n    script: a.py\n";

  @TempDir Path temp;

  private Path project() throws Exception {
    Path project = Files.createDirectories(temp.resolve("proj/flows"));
    Files.writeString(project.resolve("f.yaml"), FLOW);
    return project.getParent();
  }

  private static String problem(WorkflowParser.Result result) {
    assertThat(result).isInstanceOf(WorkflowParser.Result.Invalid.class);
    return ((WorkflowParser.Result.Invalid) result).problems().get(0).toString();
  }

  @Test
  void readsAFileByItsPathInTheProjectOrItsAbsolutePathInsideIt() throws Exception {
    Path project = project();

    for (String named : new String[] {"flows/f.yaml", project.resolve("flows/f.yaml").toString()}) {
      WorkflowParser.Result result = WorkflowFile.read(project, named, Settings.defaults());

      assertThat(result).isInstanceOf(WorkflowParser.Result.Valid.class);
      assertThat(((WorkflowParser.Result.Valid) result).workflow().file())
          .isEqualTo("flows/f.yaml");
    }
  }

  @Test
  void refusesWhatIsNotAWorkflowFileOfTheProjectAtFileOneOne() throws Exception {
    Path project = project();
    Path outside = Files.writeString(temp.resolve("outside.yaml"), "secret: line\n");
    Files.createSymbolicLink(project.resolve("flows/out.yaml"), outside);
    Files.write(project.resolve("flows/big.yaml"), new byte[WorkflowParser.MAX_BYTES + 1]);

    assertThat(problem(WorkflowFile.read(project, " ", Settings.defaults())))
        .endsWith(":1:1: a workflow is named by its path inside the project");
    assertThat(problem(WorkflowFile.read(project, "flows/none.yaml", Settings.defaults())))
        .isEqualTo("flows/none.yaml:1:1: the workflow file does not exist");
    assertThat(problem(WorkflowFile.read(project, "flows/out.yaml", Settings.defaults())))
        .contains("outside the project")
        .doesNotContain("secret");
    assertThat(problem(WorkflowFile.read(project, outside.toString(), Settings.defaults())))
        .contains("outside the project");
    assertThat(problem(WorkflowFile.read(project, "flows", Settings.defaults())))
        .isEqualTo("flows:1:1: the workflow file is not a regular file");
    assertThat(problem(WorkflowFile.read(project, "flows/big.yaml", Settings.defaults())))
        .contains("far larger than any workflow");
  }

  // The attacker review of 2026-12-01: .stepguard/token was read and parsed as a workflow, and the
  // answer told whether a file was there and where its YAML broke.
  @Test
  void refusesEveryFileInTheProjectsStateDirectoryTheSameWayWhetherItExistsOrNot()
      throws Exception {
    Path project = project();
    Path state = Files.createDirectory(project.resolve(".stepguard"));
    Files.writeString(state.resolve("token"), "sg_secret-token-value\n");
    Files.createSymbolicLink(project.resolve("flows/t.yaml"), Path.of("../.stepguard/token"));
    Files.createSymbolicLink(project.resolve("flows/n.yaml"), Path.of("../.stepguard/none"));
    Path real = project.toRealPath();

    for (String named :
        List.of(
            ".stepguard/token",
            ".stepguard/none",
            "flows/../.stepguard/token",
            "./.stepguard",
            real + "/.stepguard/token",
            real + "/.stepguard/none",
            "flows/t.yaml",
            "flows/n.yaml")) {
      assertThat(problem(WorkflowFile.read(project, named, Settings.defaults())))
          .as(named)
          .endsWith(
              ":1:1: the workflow file is outside the project or in its .stepguard (links count"
                  + " where they lead), or a link leads to nothing")
          .doesNotContain("secret");
    }
  }

  @Test
  void aWorkflowThroughALinkOutOfTheProjectGetsTheSameAnswerWhetherItExistsOrNot()
      throws Exception {
    Path project = project();
    Path host = Files.createDirectories(temp.resolve("host"));
    Files.writeString(host.resolve("there.yaml"), FLOW);
    Files.createSymbolicLink(project.resolve("root"), Path.of("/"));
    Files.createSymbolicLink(project.resolve("hostlink"), host);
    Files.createSymbolicLink(project.resolve("dotdot"), Path.of("hostlink/../host"));

    for (String[] pair :
        new String[][] {
          {"hostlink/there.yaml", "hostlink/missing.yaml"},
          {"dotdot/there.yaml", "dotdot/missing.yaml"},
          {"root" + host + "/there.yaml", "root" + host + "/missing.yaml"},
          {"flows/../../host/there.yaml", "flows/../../host/missing.yaml"},
          {host + "/there.yaml", host + "/missing.yaml"}
        }) {
      String existing = problem(WorkflowFile.read(project, pair[0], Settings.defaults()));
      String missing = problem(WorkflowFile.read(project, pair[1], Settings.defaults()));

      assertThat(existing.replace(pair[0], "NAME"))
          .isEqualTo(missing.replace(pair[1], "NAME"))
          .contains("outside the project")
          .doesNotContain("does not exist");
    }
  }
}
