package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * stepguard killed with SIGKILL in the middle of a run: the next stepguard finds the run, closes it
 * as ABANDONED, ends the script it left behind (and the script's child), and the history opens
 * cleanly. Each round runs stepguard in a JVM of its own and kills that JVM.
 */
class CrashRecoveryTest {
  static final int ROUNDS = 4;
  static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path project;

  /**
   * The killed stepguard's temporary directory: what it had there (the private home of the run it
   * was supervising) is never removed by a process that was killed, so it goes with the test.
   */
  @TempDir Path killedTemp;

  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  /** A script that starts a child, says both pids in started-ROUND, then sleeps. */
  @BeforeEach
  void writeOrphanScript() throws Exception {
    Files.writeString(
        project.resolve("orphan.py"),
        "import json, os, subprocess, sys, time\n"
            + "round = json.load(sys.stdin)['round']\n"
            + "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
            + "with open(f'started-{round}.tmp', 'w') as f:\n"
            + "    f.write(f'{os.getpid()} {child.pid}')\n"
            + "os.rename(f'started-{round}.tmp', f'started-{round}')\n"
            + "time.sleep(600)\n");
  }

  @Test
  void abandonsTheRunOfAKilledStepguardAndEndsItsOrphanEveryTime() throws Exception {
    for (int round = 1; round <= ROUNDS; round++) {
      Process stepguard = startStepguard(round);
      List<ProcessHandle> orphans = waitForScript(round, stepguard);
      started.addAll(orphans);

      stepguard.destroyForcibly();
      stepguard.waitFor();
      assertThat(orphans)
          .as("the script outlives the killed stepguard")
          .allMatch(ProcessHandle::isAlive);

      Cli.Result listed = cli("history", "list", "--json");

      assertThat(listed.exitCode()).as(listed.err()).isZero();
      JsonNode summary = Json.reader().readTree(listed.out()).get("items").get(0);
      JsonNode latest =
          Json.reader()
              .readTree(cli("history", "show", summary.get("id").asText(), "--json").out());
      assertThat(summary.get("status").asText()).isEqualTo("ABANDONED");
      assertThat(latest.get("script").asText()).isEqualTo("orphan.py");
      assertThat(latest.get("inputs").get("round").asInt()).isEqualTo(round);
      assertThat(latest.get("status").asText()).isEqualTo("ABANDONED");
      assertThat(latest.get("error").get("message").asText()).contains("is gone");
      assertThat(latest.get("process").get("pid").asLong()).isEqualTo(orphans.get(0).pid());
      JsonNode running =
          Json.reader().readTree(cli("history", "list", "--status", "RUNNING", "--json").out());
      assertThat(running.get("items")).isEmpty();
      for (ProcessHandle orphan : orphans) {
        assertThat(
                orphan
                    .onExit()
                    .get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)
                    .isAlive())
            .isFalse();
      }
    }
    Cli.Result all = cli("history", "list", "--status", "ABANDONED", "--json");
    assertThat(Json.reader().readTree(all.out()).get("items")).hasSize(ROUNDS);
    assertThat(cli("doctor").out()).contains("ok   history  " + ROUNDS + " runs");
  }

  @Test
  void abandonsAWorkflowRunWhoseStepWasRunningWhenStepguardWasKilled() throws Exception {
    Files.writeString(
        project.resolve("crash.yaml"),
        "inputs: [round]\nsteps:\n  - id: orphan\n    script: orphan.py\n"
            + "    inputs: {round: \"${inputs.round}\"}\n");
    int round = 99;
    Process stepguard =
        start(
            List.of(
                "workflow",
                "run",
                "crash.yaml",
                "--isolation",
                "process",
                "--input",
                "{\"round\": " + round + "}"),
            round);
    List<ProcessHandle> orphans = waitForScript(round, stepguard);
    started.addAll(orphans);

    stepguard.destroyForcibly();
    stepguard.waitFor();
    JsonNode step =
        Json.reader().readTree(cli("history", "list", "--json").out()).get("items").get(0);
    JsonNode workflowRun =
        Json.reader()
            .readTree(cli("history", "show", step.get("workflowRunId").asText(), "--json").out());

    assertThat(step.get("status").asText()).isEqualTo("ABANDONED");
    assertThat(step.get("stepId").asText()).isEqualTo("orphan");
    assertThat(workflowRun.get("status").asText()).isEqualTo("ABANDONED");
    assertThat(workflowRun.get("error").get("message").asText()).contains("crash.yaml", "is gone");
    for (ProcessHandle orphan : orphans) {
      assertThat(orphan.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
    }
  }

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--project");
    all.add(project.toString());
    return Cli.run(all.toArray(String[]::new));
  }

  private Process startStepguard(int round) throws Exception {
    return start(
        List.of(
            "run",
            "orphan.py",
            "--isolation",
            "process",
            "--timeout",
            "10m",
            "--input",
            "{\"round\": " + round + "}"),
        round);
  }

  private Process start(List<String> arguments, int round) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + killedTemp,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(arguments);
    command.add("--project");
    command.add(project.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(project.resolve("out-" + round + ".txt").toFile())
            .redirectError(project.resolve("err-" + round + ".txt").toFile())
            .start();
    started.add(process.toHandle());
    return process;
  }

  /** The script's process and its child, once the script says it has started. */
  private List<ProcessHandle> waitForScript(int round, Process stepguard) throws Exception {
    Path marker = project.resolve("started-" + round);
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!Files.exists(marker)) {
      assertThat(stepguard.isAlive())
          .as(
              "stepguard ended early: "
                  + Files.readString(project.resolve("err-" + round + ".txt")))
          .isTrue();
      assertThat(System.nanoTime()).as("the script did not start in time").isLessThan(deadline);
      Thread.sleep(20);
    }
    List<ProcessHandle> processes = new ArrayList<>();
    for (String pid : Files.readString(marker).split(" ")) {
      Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(pid));
      assertThat(handle).as("process " + pid + File.separator).isPresent();
      processes.add(handle.get());
    }
    return processes;
  }
}
