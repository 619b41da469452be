package dev.stepguard.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Workflow;
import dev.stepguard.core.model.WorkflowAllowance;
import dev.stepguard.core.model.WorkflowStep;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkflowParserTest {
  static final WorkflowAllowance ALLOWANCE =
      new WorkflowAllowance(
          Duration.ofHours(1), Limits.defaults(3_603_000), Set.of("TZ", "HOME_NOT_SET"));

  private final WorkflowParser parser = new WorkflowParser(ALLOWANCE);

  private WorkflowParser.Result parse(String yaml) {
    return parser.parse("flows/report.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  private Workflow valid(String yaml) {
    WorkflowParser.Result result = parse(yaml);
    assertThat(result).isInstanceOf(WorkflowParser.Result.Valid.class);
    return ((WorkflowParser.Result.Valid) result).workflow();
  }

  private List<String> problems(String yaml) {
    WorkflowParser.Result result = parse(yaml);
    assertThat(result).isInstanceOf(WorkflowParser.Result.Invalid.class);
    return ((WorkflowParser.Result.Invalid) result)
        .problems().stream().map(Object::toString).toList();
  }

  @Test
  void readsTheContractsExample() {
    Workflow workflow =
        valid(
            "name: orders-report\n"
                + "inputs: [csv]\n"
                + "defaults:\n"
                + "  timeout: 30s\n"
                + "  limits: {memory: 512MiB}\n"
                + "steps:\n"
                + "  - id: load\n"
                + "    script: scripts/load_orders.py\n"
                + "    inputs: { source: \"${inputs.csv}\" }\n"
                + "    paths: [source]\n"
                + "    timeout: 10s\n"
                + "  - id: summarize\n"
                + "    script: scripts/summarize.py\n"
                + "    inputs: { rows: \"${steps.load.output.rows}\", currency: EUR, top: 3 }\n"
                + "    env: [TZ]\n");

    assertThat(workflow.name()).isEqualTo("orders-report");
    assertThat(workflow.inputs()).containsExactly("csv");
    assertThat(workflow.defaultTimeout()).contains(Duration.ofSeconds(30));
    assertThat(workflow.defaultLimits().byName()).containsEntry("memory", 512L << 20);
    assertThat(workflow.sha256()).hasSize(64);
    WorkflowStep load = workflow.steps().get(0);
    assertThat(load.paths()).containsExactly("source");
    assertThat(load.timeout()).contains(Duration.ofSeconds(10));
    WorkflowStep summarize = workflow.steps().get(1);
    assertThat(summarize.inputs().get("top").isInt()).isTrue();
    assertThat(summarize.env()).containsExactly("TZ");
  }

  @Test
  void namesAWorkflowAfterItsFileUnlessNamed() {
    assertThat(valid("steps:\n  - id: a\n    script: a.py\n").name()).isEqualTo("report");
  }

  @Test
  void reportsUnknownKeysWhereTheyStand() {
    assertThat(problems("steps:\n  - id: a\n    script: a.py\n    retries: 3\nowner: me\n"))
        .containsExactly(
            "flows/report.yaml:4:5: unknown key 'retries' in the step; known keys: [env, id,"
                + " inputs, limits, paths, script, timeout]",
            "flows/report.yaml:5:1: unknown key 'owner' in the workflow; known keys: [defaults,"
                + " inputs, name, steps]");
  }

  // The attacker review of 2026-12-01: a longer name or id failed the history's write after steps
  // had run, so that the run went unrecorded, or stayed RUNNING until it was closed ABANDONED.
  @Test
  void refusesANameOrStepIdLongerThanTheHistoryKeepsWhereItStands() {
    String longest = "n".repeat(256);
    String over = "n".repeat(257);

    assertThat(
            valid("name: " + longest + "\nsteps:\n  - id: " + longest + "\n    script: a.py\n")
                .name())
        .isEqualTo(longest);
    assertThat(
            problems("name: $(id)" + over + "\nsteps:\n  - id: " + over + "\n    script: a.py\n"))
        .containsExactly(
            "flows/report.yaml:1:7: the name is 262 characters long; the history keeps at most 256",
            "flows/report.yaml:3:9: the step id is 257 characters long; the history keeps at most"
                + " 256");
  }

  @Test
  void reportsMissingAndDuplicateStepIds() {
    assertThat(
            problems(
                "steps:\n  - script: a.py\n  - id: b\n    script: b.py\n  - id: b\n    script: c.py\n"))
        .containsExactly(
            "flows/report.yaml:2:5: the step has no 'id'",
            "flows/report.yaml:5:9: duplicate step id 'b'");
  }

  @Test
  void namesAStepWhoseIdIsRefusedAsWrittenWhenItReadsALaterStep() {
    assertThat(
            problems(
                "steps:\n  - id: b\n    script: b.py\n"
                    + "  - id: b\n    script: c.py\n    inputs: {x: \"${steps.c.output}\"}\n"
                    + "  - script: d.py\n    inputs: {x: \"${steps.c.output}\"}\n"
                    + "  - id: c\n    script: e.py\n"))
        .containsExactly(
            "flows/report.yaml:4:9: duplicate step id 'b'",
            "flows/report.yaml:6:17: step 'c' runs after step 'b'; a step reads only steps before it",
            "flows/report.yaml:7:5: the step has no 'id'",
            "flows/report.yaml:8:17: step 'c' runs after this step; a step reads only steps before"
                + " it");
  }

  @Test
  void reportsBadDurationsAndTimeoutsOverTheMaximum() {
    assertThat(
            problems(
                "defaults:\n  timeout: soon\nsteps:\n  - id: a\n    script: a.py\n    timeout: 2h\n"))
        .containsExactly(
            "flows/report.yaml:2:12: 'soon' is not a duration; write a whole number with ms, s, m,"
                + " h or d, e.g. 30s",
            "flows/report.yaml:6:14: the timeout 2h is over the maximum of 3600s (maxTimeout, which"
                + " the operator sets)");
  }

  @Test
  void reportsReferencesToUnknownOrLaterStepsAndUndeclaredInputs() {
    assertThat(
            problems(
                "inputs: [csv]\n"
                    + "steps:\n"
                    + "  - id: a\n"
                    + "    script: a.py\n"
                    + "    inputs: {x: \"${steps.b.output.y}\", z: \"${inputs.tsv}\"}\n"
                    + "  - id: b\n"
                    + "    script: b.py\n"
                    + "    inputs: {x: \"rows: ${steps.nope.output}\", y: \"${steps.b.output}\"}\n"))
        .containsExactly(
            "flows/report.yaml:5:17: step 'b' runs after step 'a'; a step reads only steps before"
                + " it",
            "flows/report.yaml:5:43: '${inputs.tsv}' names the input 'tsv', which the workflow"
                + " does not declare in 'inputs'",
            "flows/report.yaml:8:17: there is no step 'nope'",
            "flows/report.yaml:8:50: step 'b' cannot read its own output");
  }

  @Test
  void reportsPathsThatNameNoInput() {
    assertThat(
            problems(
                "steps:\n  - id: a\n    script: a.py\n    inputs: {src: x.csv}\n    paths: [source]\n"))
        .containsExactly(
            "flows/report.yaml:5:12: 'paths' names 'source', which is not an input of this step");
  }

  @Test
  void reportsBadLimitsScriptsAndReferences() {
    assertThat(
            problems(
                "steps:\n"
                    + "  - id: a\n"
                    + "    script: ../a.py\n"
                    + "    limits: {memory: lots, cpu: 1s}\n"
                    + "    inputs: {x: \"${env.HOME}\"}\n"))
        .containsExactly(
            "flows/report.yaml:3:13: the script path is not acceptable: the path contains '..';"
                + " it must stay inside the project",
            "flows/report.yaml:4:22: 'lots' is not a size; write a whole number of bytes or with"
                + " KiB, MiB or GiB",
            "flows/report.yaml:4:28: unknown limit 'cpu'; known limits: [cpuTime, fileSize, input,"
                + " jsonDepth, memory, openFiles, processes, stderrTail, stdout, tmp]",
            "flows/report.yaml:5:17: '${env.HOME}' is not a reference: write ${inputs.NAME} or"
                + " ${steps.ID.output.FIELD}");
  }

  @Test
  void reportsSyntaxErrorsDuplicateKeysAndEmptyFiles() {
    assertThat(problems("steps: [\n"))
        .singleElement()
        .asString()
        .isEqualTo(
            "flows/report.yaml:2:1: not valid YAML: the file ends where a value was expected (is a"
                + " '[' or '{' left open?)");
    assertThat(problems("steps: [a, b\n"))
        .containsExactly(
            "flows/report.yaml:1:8: not valid YAML: this '[' is never closed with ']'");
    assertThat(problems("steps:\n\t- id: a\n"))
        .containsExactly(
            "flows/report.yaml:2:1: not valid YAML: a tab, which YAML does not take for"
                + " indentation; indent with spaces");
    assertThat(problems("steps:\n  - id: a\n    script: a.py\n---\nsteps: 1\n"))
        .containsExactly(
            "flows/report.yaml:5:1: a second YAML document (after '---'); the file must hold"
                + " exactly one");
    assertThat(problems("steps:\n  - id: a\n    id: b\n    script: a.py\n"))
        .containsExactly("flows/report.yaml:3:5: duplicate key 'id'");
    assertThat(problems("")).singleElement().asString().startsWith("flows/report.yaml:1:1: ");
    assertThat(problems("steps: []\n"))
        .containsExactly("flows/report.yaml:1:8: 'steps' must be a list of at least one step");
  }

  @Test
  void saysWhereAWorkflowFileStopsBeingUtf8AndWhichByteItIs() {
    byte[] latin1 = "steps:\n  - id: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);

    WorkflowParser.Result result = parser.parse("flows/report.yaml", latin1);

    assertThat(((WorkflowParser.Result.Invalid) result).problems())
        .map(Object::toString)
        .containsExactly("flows/report.yaml:2:12: not UTF-8 text (byte 0xe9)");
  }

  @Test
  void refusesEnvironmentNamesTheOperatorDidNotAllowEachWhereItStands() {
    assertThat(
            problems(
                "defaults:\n  env: [LD_PRELOAD]\nsteps:\n  - id: a\n    script: a.py\n"
                    + "    env: [TZ, PYTHONPATH, AWS_SECRET_ACCESS_KEY, Path, stepguard_x]\n"))
        .containsExactly(
            "flows/report.yaml:2:9: 'LD_PRELOAD' is never passed to scripts: LD_*, PYTHON*,"
                + " MALLOC_*, LC_*, STEPGUARD_*, PATH, HOME, LANG, GLIBC_TUNABLES, GCONV_PATH,"
                + " LOCPATH and NLSPATH change how the interpreter starts or are stepguard's own",
            "flows/report.yaml:6:15: 'PYTHONPATH' is never passed to scripts: LD_*, PYTHON*,"
                + " MALLOC_*, LC_*, STEPGUARD_*, PATH, HOME, LANG, GLIBC_TUNABLES, GCONV_PATH,"
                + " LOCPATH and NLSPATH change how the interpreter starts or are stepguard's own",
            "flows/report.yaml:6:27: 'AWS_SECRET_ACCESS_KEY' is not an environment variable the"
                + " operator allows; add it to env.allow in the operator config to pass it",
            "flows/report.yaml:6:50: 'Path' is never passed to scripts: LD_*, PYTHON*,"
                + " MALLOC_*, LC_*, STEPGUARD_*, PATH, HOME, LANG, GLIBC_TUNABLES, GCONV_PATH,"
                + " LOCPATH and NLSPATH change how the interpreter starts or are stepguard's own",
            "flows/report.yaml:6:56: 'stepguard_x' is never passed to scripts: LD_*, PYTHON*,"
                + " MALLOC_*, LC_*, STEPGUARD_*, PATH, HOME, LANG, GLIBC_TUNABLES, GCONV_PATH,"
                + " LOCPATH and NLSPATH change how the interpreter starts or are stepguard's own");
  }

  @Test
  void refusesEveryLimitAboveWhatTheOperatorAllowsAndAcceptsLess() {
    assertThat(
            problems(
                "defaults:\n  limits: {memory: 2GiB}\nsteps:\n  - id: a\n    script: a.py\n"
                    + "    limits: {processes: 65, stdout: 1KiB, cpuTime: 2h, jsonDepth: 201}\n"))
        .containsExactly(
            "flows/report.yaml:2:20: the limit memory: 2GiB is more than the operator allows;"
                + " a step may only ask for less (limits in the operator config or a trusted"
                + " stepguard.yaml raise it)",
            "flows/report.yaml:6:25: the limit processes: 65 is more than the operator allows;"
                + " a step may only ask for less (limits in the operator config or a trusted"
                + " stepguard.yaml raise it)",
            "flows/report.yaml:6:52: the limit cpuTime: 2h is more than the operator allows;"
                + " a step may only ask for less (limits in the operator config or a trusted"
                + " stepguard.yaml raise it)",
            "flows/report.yaml:6:67: the limit jsonDepth: 201 is more than the operator allows;"
                + " a step may only ask for less (limits in the operator config or a trusted"
                + " stepguard.yaml raise it)");
  }

  @Test
  void keepsNumbersExactlyAsTheFileWritesThem() {
    Workflow workflow =
        valid(
            "steps:\n"
                + "  - id: a\n"
                + "    script: a.py\n"
                + "    inputs: {tenth: 0.1000, huge: 1e400, big: 123456789012345678901234567890,"
                + " small: 3, negative: -2.50}\n");

    assertThat(workflow.steps().get(0).inputs().toString())
        .isEqualTo(
            "{\"tenth\":0.1000,\"huge\":1E+400,\"big\":123456789012345678901234567890,"
                + "\"small\":3,\"negative\":-2.50}");
  }

  @Test
  void refusesNumbersJsonCannotCarryWhereTheyStand() {
    assertThat(
            problems("steps:\n" + "  - id: a\n" + "    script: a.py\n" + "    inputs: {x: .inf}\n"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("flows/report.yaml:4:")
                    .contains("'.inf' is not a number JSON can carry", "quote it"));
    assertThat(problems("steps:\n  - id: a\n    script: a.py\n    inputs: {x: .NaN}\n"))
        .singleElement()
        .satisfies(p -> assertThat(p).startsWith("flows/report.yaml:4:").contains("'.NaN'"));
  }

  @Test
  void refusesANumberLongerThanTheParsersLimitInWordsWhereItStands() {
    assertThat(
            problems(
                "steps:\n"
                    + "  - id: a\n"
                    + "    script: a.py\n"
                    + "    inputs: {x: 1"
                    + "0".repeat(1000)
                    + "}\n"))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .startsWith("flows/report.yaml:4:")
                    .contains("a number of 1001 characters", "quote it")
                    .doesNotContainIgnoringCase("jackson")
                    .doesNotContain("StreamReadConstraints"));
  }

  @Test
  void case35RefusesOverflowingTimeoutsAndLimitsEachWhereItStands() {
    assertThat(
            problems(
                "steps:\n"
                    + "  - id: a\n"
                    + "    script: a.py\n"
                    + "    timeout: 1000000d\n"
                    + "    limits: {memory: 99999999999GiB, stderrTail: 1GiB, jsonDepth: 99999999999}\n"))
        .satisfiesExactly(
            p -> assertThat(p).startsWith("flows/report.yaml:4:14: ").contains("maximum"),
            p -> assertThat(p).startsWith("flows/report.yaml:5:22: ").contains("too large"),
            p -> assertThat(p).startsWith("flows/report.yaml:5:50: ").contains("16MiB"),
            p -> assertThat(p).startsWith("flows/report.yaml:5:67: ").contains("1000"));
  }

  @Test
  void case44RefusesAFileLargerThanAnyWorkflowUnread() {
    byte[] huge = new byte[WorkflowParser.MAX_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) 'x');

    WorkflowParser.Result result = parser.parse("flows/huge.yaml", huge);

    assertThat(((WorkflowParser.Result.Invalid) result).problems())
        .singleElement()
        .asString()
        .startsWith("flows/huge.yaml:1:1: ")
        .contains("larger than 1 MiB");
  }

  @Test
  void case44RefusesDeepNestingWhereItGetsTooDeep() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);

    assertThat(problems("steps: " + deep + "\n"))
        .singleElement()
        .asString()
        .startsWith("flows/report.yaml:1:")
        .contains("nested deeper than 100 levels");
    assertThat(problems("steps:\n" + "- ".repeat(100_000) + "x\n"))
        .singleElement()
        .asString()
        .contains("nested deeper than 100 levels");
  }
}
