package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Case 37 (docs/history.md, "Two or more stepguard processes on one project"): a workflow engine
 * starts sixteen {@code stepguard run} commands on one project at once, each in a JVM of its own,
 * while two other processes keep both cores busy. Every run runs and the history has exactly one
 * record of each.
 */
class ParallelRunsTest {
  static final int RUNS = 16;
  static final Duration PATIENCE = Duration.ofMinutes(3);

  @TempDir Path project;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killEverythingStarted() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void sixteenParallelRunsOnABusyMachineAllRunAndAreEachRecordedOnce() throws Exception {
    Files.writeString(
        project.resolve("hello.py"),
        "import json, sys\nprint(json.dumps({'round': json.load(sys.stdin)['round']}))\n");
    burnBothCores();

    long begin = System.nanoTime();
    List<Process> runs = new ArrayList<>();
    for (int round = 0; round < RUNS; round++) {
      runs.add(startRun(round));
    }
    List<String> failures = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int round = 0; round < RUNS; round++) {
      Process run = runs.get(round);
      assertThat(run.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("run " + round).isTrue();
      if (run.exitValue() != 0) {
        failures.add(
            "run " + round + " exit " + run.exitValue() + ": " + read("err-" + round + ".txt"));
        continue;
      }
      JsonNode record = Json.reader().readTree(read("out-" + round + ".txt"));
      assertThat(record.get("output").get("round").asInt()).isEqualTo(round);
      ids.add(record.get("id").asText());
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    System.out.printf("%d parallel runs on a busy machine took %d ms%n", RUNS, millis);
    assertThat(failures).isEmpty();

    Cli.Result listed = Cli.run("history", "list", "--json", "--limit", "100", "--project", dir());
    JsonNode items = Json.reader().readTree(listed.out()).get("items");
    List<String> recorded = new ArrayList<>();
    items.forEach(item -> recorded.add(item.get("id").asText()));
    assertThat(recorded)
        .hasSize(RUNS)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(ids);
    items.forEach(item -> assertThat(item.get("status").asText()).isEqualTo("SUCCEEDED"));
  }

  /** Two processes that spin until they are killed, one per core. */
  private void burnBothCores() throws Exception {
    for (int i = 0; i < 2; i++) {
      started.add(
          new ProcessBuilder("python3", "-c", "while True: pass")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start());
    }
  }

  /** One {@code stepguard run} in a JVM of its own, with the flags of the launcher script. */
  private Process startRun(int round) throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "run",
                "hello.py",
                "--isolation",
                "process",
                "--json",
                "--input",
                "{\"round\": " + round + "}",
                "--project",
                dir())
            .redirectOutput(project.resolve("out-" + round + ".txt").toFile())
            .redirectError(project.resolve("err-" + round + ".txt").toFile())
            .start();
    started.add(process);
    return process;
  }

  private String read(String file) throws Exception {
    return Files.readString(project.resolve(file));
  }

  private String dir() {
    return project.toString();
  }
}
