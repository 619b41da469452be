package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Case 38 (docs/history.md, "Cancelled runs"): Ctrl-C (SIGINT) or SIGTERM sent to a stepguard in
 * the middle of a run. The run is recorded CANCELLED with what stopped it and the stderr so far,
 * stepguard exits 130 or 143, nothing the run started is left, and the next command finds no
 * RUNNING or ABANDONED run. Each case runs stepguard in a JVM of its own and signals that JVM.
 */
class CancellationTest {
  /** A bound for JVM start-ups and exits on a loaded machine, not a measure of speed. */
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  @TempDir Path project;
  @TempDir Path operator;
  private final List<ProcessHandle> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * A script that writes to stderr, starts a child, says both pids (as it sees them) in {@code
   * out/started}, then sleeps; with {@code {"stubborn": true}} it ignores SIGTERM first.
   */
  @BeforeEach
  void writeScript() throws Exception {
    Files.writeString(
        project.resolve("long.py"),
        "import json, os, signal, subprocess, sys, time\n"
            + "if json.load(sys.stdin).get('stubborn'):\n"
            + "    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            + "print('loaded 3 of 9 rows', file=sys.stderr, flush=True)\n"
            + "child = subprocess.Popen(['sleep', '600'])\n"
            + "with open('out/started.tmp', 'w') as f:\n"
            + "    f.write(f'{os.getpid()} {child.pid}')\n"
            + "os.rename('out/started.tmp', 'out/started')\n"
            + "time.sleep(600)\n");
    Files.setPosixFilePermissions(
        Files.createDirectory(project.resolve("out")),
        PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.writeString(operator.resolve("config.yaml"), "grace: 90s\nsandbox:\n  writable: [out]\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"process", "sandbox"})
  void ctrlCEndsTheRunCancelledBySigintAndExits130(String isolation) throws Exception {
    assumeSandboxWorksFor(isolation);
    Process stepguard = start("run", "long.py", "--isolation", isolation, "--input", "{}");
    List<Long> pids = waitForScript(stepguard);

    signal("INT", stepguard);

    assertThat(exitCode(stepguard)).isEqualTo(130);
    JsonNode record = latestRun();
    assertThat(record.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(record.get("cancelledBy").get("cause").asText()).isEqualTo("SIGINT");
    assertThat(record.get("cancelledBy").get("requester").get("channel").asText()).isEqualTo("cli");
    assertThat(record.get("endedBy").asText()).isEqualTo("SIGTERM");
    assertThat(record.get("stderr").asText()).contains("loaded 3 of 9 rows");
    assertThat(record.get("error").get("message").asText()).contains("SIGINT");
    assertThat(stderrOf()).contains("CANCELLED");
    assertNothingLeft(isolation.equals("process") ? pids : List.of(), record);
  }

  /**
   * A terminal's Ctrl-C reaches every process of the foreground group: stepguard, and whatever it
   * started that stayed in its group. In sandbox isolation bwrap's outer process once did, died of
   * SIGINT at once and made the run CRASHED with no grace period for the script.
   */
  @ParameterizedTest
  @ValueSource(strings = {"process", "sandbox"})
  void ctrlCFromATerminalToTheWholeGroupEndsTheRunCancelled(String isolation) throws Exception {
    assumeSandboxWorksFor(isolation);
    Process stepguard =
        start(List.of("setsid"), "run", "long.py", "--isolation", isolation, "--input", "{}");
    List<Long> pids = waitForScript(stepguard);

    signalGroup("INT", stepguard);

    assertThat(exitCode(stepguard)).isEqualTo(130);
    JsonNode record = latestRun();
    assertThat(record.get("status").asText()).as(record.toString()).isEqualTo("CANCELLED");
    assertThat(record.get("cancelledBy").get("cause").asText()).isEqualTo("SIGINT");
    assertThat(record.get("endedBy").asText())
        .as("stepguard ended the script")
        .isEqualTo("SIGTERM");
    assertThat(record.get("stderr").asText()).contains("loaded 3 of 9 rows");
    assertNothingLeft(isolation.equals("process") ? pids : List.of(), record);
  }

  @Test
  void aThirdSignalDuringTheInterpreterCheckLeavesNothingOfTheCheckRunning() throws Exception {
    Path hang = operator.resolve("hang");
    Path pidFile = operator.resolve("hang.pid");
    Files.writeString(hang, "#!/bin/sh\necho $$ > " + pidFile + "\nexec sleep 600\n");
    Files.setPosixFilePermissions(hang, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(operator.resolve("config.yaml"), "python: " + hang + "\n");
    Process stepguard = start("run", "long.py", "--isolation", "process");
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
      assertThat(stepguard.isAlive()).as("stepguard ended early: " + stderrOf()).isTrue();
      assertThat(System.nanoTime()).as("the check did not start in time").isLessThan(deadline);
      Thread.sleep(20);
    }
    long check = Long.parseLong(Files.readString(pidFile).strip());

    for (int i = 0; i < 3; i++) {
      signal("INT", stepguard);
      Thread.sleep(100);
    }

    assertThat(exitCode(stepguard)).isEqualTo(130);
    assertThat(runs(check)).as("the interpreter check's process %d", check).isFalse();
  }

  @Test
  void sigtermEndsTheRunCancelledBySigtermAndExits143() throws Exception {
    Process stepguard = start("run", "long.py", "--isolation", "process", "--input", "{}");
    List<Long> pids = waitForScript(stepguard);

    signal("TERM", stepguard);

    assertThat(exitCode(stepguard)).isEqualTo(143);
    JsonNode record = latestRun();
    assertThat(record.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(record.get("cancelledBy").get("cause").asText()).isEqualTo("SIGTERM");
    assertNothingLeft(pids, record);
  }

  @Test
  void closingTheTerminalEndsTheRunCancelledBySighupAndExits129() throws Exception {
    Process stepguard = start("run", "long.py", "--isolation", "process", "--input", "{}");
    List<Long> pids = waitForScript(stepguard);

    signal("HUP", stepguard);

    assertThat(exitCode(stepguard)).isEqualTo(129);
    JsonNode record = latestRun();
    assertThat(record.get("cancelledBy").get("cause").asText()).isEqualTo("SIGHUP");
    assertNothingLeft(pids, record);
  }

  @Test
  void aSignalWhileANewHistoryIsCreatedNeverBreaksIt() throws Exception {
    Path root = project;
    for (long delay : List.of(0L, 150L, 400L, 800L)) {
      project = Files.createDirectory(root.resolve("fresh-" + delay));
      Process stepguard = start("history", "list");
      Path file = project.resolve(".stepguard").resolve("history.mv.db");
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (!Files.exists(file) && stepguard.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      Thread.sleep(delay);
      // The command may end on its own between a check and a kill(1): destroy() sends the same
      // SIGTERM and does nothing once the process has ended.
      stepguard.destroy();
      exitCode(stepguard);

      Cli.Result listed = cli("history", "list");

      assertThat(listed.exitCode()).as("after a signal %d ms in: %s", delay, listed.err()).isZero();
      assertThat(stderrOf()).doesNotContain("Exception");
    }
  }

  @Test
  void aSecondCtrlCKillsAScriptThatIgnoresSigtermAtOnceAndStillRecordsIt() throws Exception {
    Process stepguard =
        start("run", "long.py", "--isolation", "process", "--input", "{\"stubborn\": true}");
    List<Long> pids = waitForScript(stepguard);
    long before = System.nanoTime();

    signal("INT", stepguard);
    Thread.sleep(500);
    signal("INT", stepguard);

    assertThat(exitCode(stepguard)).isEqualTo(130);
    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .as("the 90 s grace period was not waited out")
        .isLessThan(Duration.ofSeconds(60));
    JsonNode record = latestRun();
    assertThat(record.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(record.get("endedBy").asText()).isEqualTo("SIGKILL");
    assertNothingLeft(pids, record);
  }

  @Test
  void ctrlCEndsAWorkflowRunCancelledAtItsStep() throws Exception {
    Files.writeString(
        project.resolve("flow.yaml"),
        "steps:\n  - id: load\n    script: long.py\n  - id: after\n    script: long.py\n");
    Process stepguard = start("workflow", "run", "flow.yaml", "--isolation", "process");
    List<Long> pids = waitForScript(stepguard);

    signal("INT", stepguard);

    assertThat(exitCode(stepguard)).isEqualTo(130);
    JsonNode step = latestRun();
    assertThat(step.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(step.get("stepId").asText()).isEqualTo("load");
    JsonNode workflowRun =
        Json.reader()
            .readTree(cli("history", "show", step.get("workflowRunId").asText(), "--json").out());
    assertThat(workflowRun.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(workflowRun.get("failedStep").asText()).isEqualTo("load");
    assertThat(workflowRun.get("steps")).hasSize(1);
    assertNothingLeft(pids, step);
  }

  private void assumeSandboxWorksFor(String isolation) {
    if (isolation.equals("sandbox")) {
      Cli.Result doctor = cli("doctor");
      assumeTrue(doctor.out().contains("ok   sandbox"), () -> "no sandbox here:\n" + doctor.out());
    }
  }

  /**
   * Nothing of the run is left: neither the processes {@code pids} nor any process that carries the
   * run's id; and the next command finds no run RUNNING or ABANDONED.
   */
  private void assertNothingLeft(List<Long> pids, JsonNode record) throws Exception {
    for (long pid : pids) {
      assertThat(runs(pid)).as("process " + pid + " of the run is gone").isFalse();
    }
    assertThat(carrying("STEPGUARD_EXECUTION_ID=" + record.get("id").asText()))
        .as("processes of the run")
        .isEmpty();
    for (String status : List.of("RUNNING", "ABANDONED")) {
      Cli.Result listed = cli("history", "list", "--status", status, "--json");
      assertThat(Json.reader().readTree(listed.out()).get("items")).as(status).isEmpty();
    }
  }

  /** The live processes whose environment holds {@code variable}. */
  private static List<Long> carrying(String variable) throws IOException {
    byte[] wanted = (variable + "\0").getBytes(StandardCharsets.UTF_8);
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        byte[] environ;
        try {
          environ = Files.readAllBytes(entry.resolve("environ"));
        } catch (IOException e) {
          continue;
        }
        String text = new String(environ, StandardCharsets.ISO_8859_1);
        if (text.contains(new String(wanted, StandardCharsets.ISO_8859_1)) && runs(pid)) {
          found.add(pid);
        }
      }
    }
    return found;
  }

  /** Whether {@code pid} is a live process (a zombie nobody reaps is not). */
  private static boolean runs(long pid) throws IOException {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (!Files.exists(stat)) {
      return false;
    }
    String text;
    try {
      text = Files.readString(stat);
    } catch (IOException e) {
      return false;
    }
    return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
  }

  private JsonNode latestRun() throws Exception {
    Cli.Result listed = cli("history", "list", "--limit", "1", "--json");
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    String id = Json.reader().readTree(listed.out()).get("items").get(0).get("id").asText();
    return Json.reader().readTree(cli("history", "show", id, "--json").out());
  }

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--project");
    all.add(project.toString());
    return Cli.run(
        Cli.operator(operator.resolve("config.yaml")),
        RuntimeModuleFactory.production(),
        all.toArray(String[]::new));
  }

  private Process start(String... arguments) throws Exception {
    return start(List.of(), arguments);
  }

  /**
   * stepguard in a JVM of its own, its command line after {@code prefix}, with the default action
   * for the signals it traps: a JVM cannot handle a signal that it was started with ignored (as
   * {@code nohup} or a shell's background job leave SIGHUP and SIGINT).
   */
  private Process start(List<String> prefix, String... arguments) throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            "env",
            "--default-signal=HUP,INT,TERM",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName()));
    command.addAll(List.of(arguments));
    command.add("--project");
    command.add(project.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(project.resolve("out.txt").toFile())
            .redirectError(project.resolve("err.txt").toFile());
    builder
        .environment()
        .putAll(Map.of("STEPGUARD_CONFIG", operator.resolve("config.yaml").toString()));
    Process process = builder.start();
    started.add(process.toHandle());
    return process;
  }

  private String stderrOf() throws IOException {
    return Files.readString(project.resolve("err.txt"));
  }

  /** Sends {@code name} to every process of the group that {@code leader} leads, as a terminal. */
  private static void signalGroup(String name, Process leader) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, "--", "-" + leader.pid()).start();
    assertThat(kill.waitFor()).isZero();
  }

  private static void signal(String name, Process stepguard) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(stepguard.pid())).start();
    assertThat(kill.waitFor()).isZero();
  }

  private int exitCode(Process stepguard) throws Exception {
    assertThat(stepguard.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as("stepguard ended after the signal")
        .isTrue();
    return stepguard.exitValue();
  }

  /** The script's process and its child, once the script says it has started. */
  private List<Long> waitForScript(Process stepguard) throws Exception {
    Path marker = project.resolve("out").resolve("started");
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!Files.exists(marker)) {
      assertThat(stepguard.isAlive()).as("stepguard ended early: " + stderrOf()).isTrue();
      assertThat(System.nanoTime()).as("the script did not start in time").isLessThan(deadline);
      Thread.sleep(20);
    }
    List<Long> pids = new ArrayList<>();
    for (String pid : Files.readString(marker).split(" ")) {
      pids.add(Long.parseLong(pid));
    }
    return pids;
  }
}
