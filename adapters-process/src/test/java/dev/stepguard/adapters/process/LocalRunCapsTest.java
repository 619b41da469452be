package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.port.ProcessLauncher;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole-run caps against {@code process} isolation. */
class LocalRunCapsTest extends RunCapCases {
  private static final ProcessLauncher LAUNCHER =
      new LocalProcessLauncher(Pythons.onPath(System.getenv("PATH")));

  @Override
  ProcessLauncher launcher() {
    return LAUNCHER;
  }

  @Override
  ResourceCap uncappedProcesses() {
    return ResourceCap.NONE;
  }

  @Test
  void runsTheScriptsFirstLineInsideTheRunsCgroups() {
    assumeTrue(HOST.memory().isPresent() || HOST.pids().isPresent(), "no cgroup here: " + HOST);
    project.script(
        "where.py",
        "import json\nprint(json.dumps({'cgroups': open('/proc/self/cgroup').read()}))\n");

    ExecutionRecord record = run("where.py", Limits.defaults(LONG.toMillis()));

    String inside = "/" + RunCgroup.PREFIX + record.id().value();
    int checked = 0;
    for (String line : record.output().get("cgroups").asText().split("\n")) {
      List<String> controllers = List.of(line.split(":", 3)[1].split(","));
      boolean unified = line.startsWith("0::");
      if (HOST.memory().isPresent()
          && HOST.memory().get().unified() == unified
          && (unified || controllers.contains("memory"))) {
        assertThat(line).endsWith(inside);
        checked++;
      }
      if (HOST.pids().isPresent()
          && HOST.pids().get().unified() == unified
          && (unified || controllers.contains("pids"))) {
        assertThat(line).endsWith(inside);
        checked++;
      }
    }
    assertThat(checked).isPositive();
  }
}
