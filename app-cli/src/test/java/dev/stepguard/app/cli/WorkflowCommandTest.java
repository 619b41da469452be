package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.core.model.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code stepguard workflow} end to end: real Python, a real history, a copy of the example. */
class WorkflowCommandTest {
  private static final Path EXAMPLE =
      Path.of("..", "examples", "orders").toAbsolutePath().normalize();
  private static final String ORDERS_INPUT =
      "{\"csv\": \"examples/orders/orders.csv\", \"currency\": \"EUR\"}";

  @TempDir Path temp;
  private Path project;

  @BeforeEach
  void makeTheProject() throws Exception {
    project =
        Files.createDirectory(
            temp.resolve("project"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }

  private Cli.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--project");
    all.add(project.toString());
    return Cli.run(all.toArray(String[]::new));
  }

  private void copyExample() throws Exception {
    Path target = Files.createDirectories(project.resolve("examples/orders"));
    try (Stream<Path> files = Files.list(EXAMPLE)) {
      for (Path file : files.toList()) {
        Files.copy(file, target.resolve(file.getFileName().toString()));
      }
    }
  }

  private Path write(String name, String text) throws Exception {
    Path file = project.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  @Test
  void runsTheOrdersExampleAndRecordsItsSteps() throws Exception {
    copyExample();

    Cli.Result result =
        cli(
            "workflow",
            "run",
            project.resolve("examples/orders/orders.yaml").toString(),
            "--input",
            ORDERS_INPUT,
            "--isolation",
            "process");

    assertThat(result.exitCode()).as(result.err()).isZero();
    JsonNode output = Json.reader().readTree(result.out());
    assertThat(output.get("title").asText()).isEqualTo("Orders in EUR (6 loaded)");
    assertThat(output.get("orders").asInt()).isEqualTo(6);
    assertThat(output.get("total").asDouble()).isEqualTo(1374.03);
    assertThat(output.get("byCustomer").get("Ada").asDouble()).isEqualTo(138.34);
    assertThat(output.get("topCustomer").asText()).isEqualTo("Margaret");
    assertThat(result.err()).contains("load", "convert", "summarize", "SUCCEEDED");
    String runId = result.err().split("run ")[1].substring(0, 8);
    JsonNode steps = Json.reader().readTree(cli("history", "list", "--json").out()).get("items");
    assertThat(steps).hasSize(3);
    steps.forEach(step -> assertThat(step.get("workflowRunId").asText()).startsWith(runId));
    String fullRunId = steps.get(0).get("workflowRunId").asText();
    assertThat(
            Json.reader()
                .readTree(cli("history", "list", "--workflow-run", fullRunId, "--json").out())
                .get("items"))
        .extracting(step -> step.get("stepId").asText())
        .containsExactly("summarize", "convert", "load");
  }

  @Test
  void theShortIdThatWorkflowRunPrintsIsTakenByHistoryShowAndHistoryList() throws Exception {
    copyExample();
    Cli.Result result =
        cli(
            "workflow",
            "run",
            project.resolve("examples/orders/orders.yaml").toString(),
            "--input",
            ORDERS_INPUT,
            "--isolation",
            "process");
    assertThat(result.exitCode()).as(result.err()).isZero();
    String shortId = result.err().split("run ")[1].substring(0, 8);

    Cli.Result listed = cli("history", "list", "--workflow-run", shortId);
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("summarize.py", "convert.py", "load_orders.py");

    Cli.Result shown = cli("history", "show", shortId);
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out())
        .startsWith("workflow run")
        .contains(shortId, "SUCCEEDED", "orders-report", "steps:", "history show ")
        .doesNotContain("\"workflowSha256\"");
    String stepId =
        shown.out().lines().filter(l -> l.startsWith("  load ")).findFirst().orElseThrow();
    Cli.Result step = cli("history", "show", stepId.substring(stepId.lastIndexOf(' ') + 1));
    assertThat(step.exitCode()).as(step.err()).isZero();
    assertThat(step.out()).contains("load_orders.py");

    Cli.Result json = cli("history", "show", shortId, "--json");
    assertThat(Json.reader().readTree(json.out()).get("id").asText()).startsWith(shortId);

    Cli.Result unknown = cli("history", "list", "--workflow-run", "0000dead");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no workflow run has an id starting with 0000dead");
  }

  @Test
  void refusesAPathInputThatLeavesTheProjectBeforeAnyStepStarts() throws Exception {
    copyExample();
    Files.writeString(
        project.getParent().resolve("outside.csv"), "order_id,customer,amount,currency\n");

    Cli.Result result =
        cli(
            "workflow",
            "run",
            project.resolve("examples/orders/orders.yaml").toString(),
            "--input",
            "{\"csv\": \"../outside.csv\", \"currency\": \"EUR\"}",
            "--json");

    assertThat(result.exitCode()).isEqualTo(3);
    JsonNode run = Json.reader().readTree(result.out());
    assertThat(run.get("status").asText()).isEqualTo("REJECTED");
    assertThat(run.get("failedStep").asText()).isEqualTo("load");
    assertThat(run.get("steps")).isEmpty();
    assertThat(run.get("error").get("message").asText()).contains("'..'", "No step was run");
    assertThat(Json.reader().readTree(cli("history", "list", "--json").out()).get("items"))
        .isEmpty();
  }

  @Test
  void showsAWorkflowRunWhoseLaterStepWasRefusedWithTheStepsThatRanAndTheOneThatDidNot()
      throws Exception {
    write("first.py", "import json\nprint(json.dumps({'n': 1}))\n");
    write("second.py", "print('{}')\n");
    Path workflow =
        write(
            "flows/missing.yaml",
            "steps:\n"
                + "  - id: first\n    script: first.py\n"
                + "  - id: second\n    script: second.py\n"
                + "    inputs: {n: \"${steps.first.output.nope}\"}\n");
    Cli.Result result = cli("workflow", "run", workflow.toString(), "--isolation", "process");
    assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
    String shortId = result.err().split("run ")[1].substring(0, 8);

    Cli.Result shown = cli("history", "show", shortId);

    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.err()).isEmpty();
    assertThat(shown.out())
        .contains("REJECTED", "failed step:   second", "nope")
        .containsPattern("  first +SUCCEEDED +history show [0-9a-f]{8}")
        .containsPattern("  second +REJECTED +refused before it ran");
  }

  @Test
  void showsTheStderrTailOfTheStepThatFailedAsRunDoes() throws Exception {
    write("first.py", "import json\nprint(json.dumps({'n': 1}))\n");
    write("boom.py", "import sys\nprint('the database said no', file=sys.stderr)\nsys.exit(3)\n");
    Path workflow =
        write(
            "flows/boom.yaml",
            "steps:\n  - id: first\n    script: first.py\n  - id: boom\n    script: boom.py\n");

    Cli.Result result = cli("workflow", "run", workflow.toString(), "--isolation", "process");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
    assertThat(result.err())
        .containsPattern("  boom +FAILED +history show [0-9a-f]{8}")
        .contains("  --- stderr ---\n  the database said no");
  }

  @Test
  void endsTimedOutAtTheStepThatSleptPastItsOwnTimeoutAndStartsNoLaterStep() throws Exception {
    write("first.py", "import json\nprint(json.dumps({'n': 1}))\n");
    write("sleepy.py", "import time\ntime.sleep(30)\n");
    write("never.py", "open('never-ran', 'w').close()\nprint('{}')\n");
    Path workflow =
        write(
            "flows/slow.yaml",
            "steps:\n"
                + "  - id: first\n    script: first.py\n"
                + "  - id: sleepy\n    script: sleepy.py\n    timeout: 1s\n"
                + "    inputs: {n: \"${steps.first.output.n}\"}\n"
                + "  - id: never\n    script: never.py\n");
    long started = System.nanoTime();

    Cli.Result result =
        cli("workflow", "run", workflow.toString(), "--json", "--isolation", "process");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(4);
    assertThat((System.nanoTime() - started) / 1_000_000_000.0).isLessThan(15);
    JsonNode run = Json.reader().readTree(result.out());
    assertThat(run.get("status").asText()).isEqualTo("TIMED_OUT");
    assertThat(run.get("failedStep").asText()).isEqualTo("sleepy");
    assertThat(run.get("steps"))
        .extracting(s -> s.get("status").asText())
        .containsExactly("SUCCEEDED", "TIMED_OUT");
    assertThat(run.get("workflow").asText()).isEqualTo("flows/slow.yaml");
    assertThat(run.get("workflowSha256").asText()).hasSize(64);
    assertThat(Files.exists(project.resolve("never-ran"))).isFalse();
  }

  // Case 39 of docs/security.md: secret values are masked in every stored record
  @Test
  void masksASecretInputPassedToAStepUnderAnotherKeyInEveryStoredRecord() throws Exception {
    String secret = "s3cr3t-value";
    write(
        "echo.py",
        "import json, sys\n"
            + "data = json.load(sys.stdin)\n"
            + "print('auth is', data['auth'], json.dumps(data), file=sys.stderr)\n"
            + "print(json.dumps({'echo': data['auth']}))\n");
    Path workflow =
        write(
            "flows/login.yaml",
            "inputs: [password]\nsteps:\n  - id: login\n    script: echo.py\n"
                + "    inputs: {auth: \"Basic ${inputs.password}\"}\n");

    Cli.Result result =
        cli(
            "workflow",
            "run",
            workflow.toString(),
            "--input",
            "{\"password\": \"" + secret + "\"}",
            "--isolation",
            "process");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(Json.reader().readTree(result.out()).get("echo").asText())
        .isEqualTo("Basic " + secret);
    JsonNode step =
        Json.reader().readTree(cli("history", "list", "--json").out()).get("items").get(0);
    String stored = cli("history", "show", step.get("id").asText(), "--json").out();
    String storedRun = cli("history", "show", step.get("workflowRunId").asText(), "--json").out();
    JsonNode record = Json.reader().readTree(stored);
    assertThat(record.get("inputs").get("auth").asText()).isEqualTo("Basic [REDACTED]");
    assertThat(record.get("output").get("echo").asText()).isEqualTo("Basic [REDACTED]");
    assertThat(record.get("stderr").asText()).contains("auth is Basic [REDACTED]");
    assertThat(Json.reader().readTree(storedRun).get("output").get("echo").asText())
        .isEqualTo("Basic [REDACTED]");
    assertThat(stored + storedRun).doesNotContain(secret);
  }

  static Stream<Arguments> invalidFiles() {
    String step = "  - id: a\n    script: a.py\n";
    return Stream.of(
        Arguments.of("steps:\n" + step + "    retry: 2\n", ":4:5: unknown key 'retry'"),
        Arguments.of("steps:\n  - script: a.py\n", ":2:5: the step has no 'id'"),
        Arguments.of("steps:\n" + step + step, ":4:9: duplicate step id 'a'"),
        Arguments.of(
            "steps:\n" + step + "    timeout: 10 minutes\n",
            ":4:14: '10 minutes' is not a duration"),
        Arguments.of(
            "steps:\n" + step + "    timeout: 2h\n", ":4:14: the timeout 2h is over the maximum"),
        Arguments.of(
            "steps:\n" + step + "    inputs: {x: \"${steps.z.output}\"}\n",
            ":4:17: there is no step 'z'"),
        Arguments.of(
            "steps:\n"
                + step
                + "    inputs: {x: \"${steps.b.output}\"}\n  - id: b\n    script: b.py\n",
            ":4:17: step 'b' runs after step 'a'"),
        Arguments.of(
            "steps:\n" + step + "    inputs: {x: \"${inputs.csv}\"}\n",
            ":4:17: '${inputs.csv}' names the input 'csv'"),
        Arguments.of("steps:\n" + step + "    paths: [csv]\n", ":4:12: 'paths' names 'csv'"));
  }

  @ParameterizedTest
  @MethodSource("invalidFiles")
  void refusesAnInvalidFileWithExitThreeAndTheProblemsPlace(String yaml, String expected)
      throws Exception {
    Path workflow = write("flows/bad.yaml", yaml);
    write("a.py", "print('{}')\n");

    Cli.Result validated = cli("workflow", "validate", workflow.toString());
    Cli.Result run = cli("workflow", "run", workflow.toString());

    assertThat(validated.exitCode()).isEqualTo(3);
    assertThat(validated.err()).contains("flows/bad.yaml" + expected);
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("flows/bad.yaml" + expected);
    assertThat(Files.exists(project.resolve(".stepguard"))).as("nothing ran").isFalse();
  }

  @Test
  void saysThatAMissingWorkflowFileDoesNotExist() {
    for (String command : List.of("validate", "run")) {
      Cli.Result result = cli("workflow", command, "flows/missing.yaml");

      assertThat(result.exitCode()).isEqualTo(WorkflowFiles.INVALID);
      assertThat(result.err())
          .isEqualTo("flows/missing.yaml:1:1: the workflow file does not exist\n");
    }
  }

  @Test
  void refusesAWorkflowFileThatLeadsOutOfTheProjectWithoutEchoingItsLines() throws Exception {
    Path secret = Files.writeString(temp.resolve("secret.txt"), "root:s3cret-hash:20228:0\n");
    Files.createDirectories(project.resolve("flows"));
    Files.createSymbolicLink(project.resolve("flows/link.yaml"), secret);

    for (String named : List.of("flows/link.yaml", secret.toString(), "../secret.txt")) {
      for (String command : List.of("validate", "run")) {
        Cli.Result result = cli("workflow", command, named);

        assertThat(result.exitCode()).as(named).isEqualTo(WorkflowFiles.INVALID);
        assertThat(result.err()).contains("outside the project").doesNotContain("s3cret");
      }
    }
    assertThat(project.resolve(".stepguard")).as("nothing ran").doesNotExist();
  }

  @Test
  void saysAValidFileIsValid() throws Exception {
    copyExample();

    Cli.Result result =
        cli("workflow", "validate", project.resolve("examples/orders/orders.yaml").toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .isEqualTo(
            "examples/orders/orders.yaml: valid workflow 'orders-report', 3 steps: load, convert,"
                + " summarize\n");
  }
}
