package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepguard.adapters.process.SandboxLauncherModule;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.model.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code stepguard run} end to end: the real entry point, real Python, a temporary project. */
class RunCommandTest {
  @TempDir Path project;
  @TempDir Path operatorDirectory;
  private Path operatorConfig;

  @BeforeEach
  void writeScripts() throws Exception {
    operatorConfig = operatorDirectory.resolve("config.yaml");
    write(
        "hello.py",
        "import json, sys\nname = json.load(sys.stdin).get('name', 'world')\n"
            + "print('greeting', name, file=sys.stderr)\n"
            + "json.dump({'greeting': 'Hello, ' + name + '!'}, sys.stdout)\n");
    write("fail.py", "import sys\nprint('Traceback: broken', file=sys.stderr)\nsys.exit(3)\n");
    write("segv.py", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n");
    write("sleep.py", "import time\ntime.sleep(600)\n");
    write("bad.py", "print('not json')\n");
    write("flood.py", "while True:\n    print('x' * 1000)\n");
  }

  private void write(String name, String source) throws Exception {
    Files.writeString(project.resolve(name), source);
  }

  private Cli.Result run(String... args) {
    return Cli.run(withProject(args));
  }

  private Cli.Result runAsOperator(String... args) {
    return Cli.run(
        Cli.operator(operatorConfig), RuntimeModuleFactory.production(), withProject(args));
  }

  private String[] withProject(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--project";
    all[args.length + 1] = project.toString();
    return all;
  }

  @Test
  void printsTheScriptsOutputObjectAndExitsZero() {
    Cli.Result result = run("run", "hello.py", "--input", "{\"name\": \"Ada\"}");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().strip()).isEqualTo("{\"greeting\":\"Hello, Ada!\"}");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void printsTheWholeRecordWithJson() throws Exception {
    Cli.Result result = run("run", "hello.py", "--input", "{\"name\": \"Ada\"}", "--json");

    JsonNode record = Json.reader().readTree(result.out());
    assertThat(record.fieldNames())
        .toIterable()
        .contains(
            "id",
            "status",
            "script",
            "inputs",
            "output",
            "exitCode",
            "signal",
            "stderr",
            "stderrTruncated",
            "error",
            "startedAt",
            "finishedAt",
            "durationMs",
            "timeoutMs",
            "limits",
            "isolation",
            "interpreter",
            "scriptSha256",
            "workflowRunId",
            "stepId");
    assertThat(record.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(record.get("isolation").asText()).isIn("process", "sandbox");
    assertThat(record.get("interpreter").get("version").asText()).startsWith("3.");
    assertThat(record.get("stderr").asText()).isEqualTo("greeting Ada\n");
    assertThat(record.get("scriptSha256").asText()).hasSize(64);
    assertThat(record.get("error").isNull()).isTrue();
  }

  @Test
  void readsTheInputFromAFile() throws Exception {
    Path input = Files.writeString(project.resolve("in.json"), "{\"name\": \"Grace\"}");

    Cli.Result result = run("run", "hello.py", "--input-file", input.toString());

    assertThat(result.out()).contains("Hello, Grace!");
  }

  @Test
  void refusesAnInputFileThatIsNotUtf8() throws Exception {
    Path input = Files.write(project.resolve("in.json"), new byte[] {'{', (byte) 0xff, '}'});

    Cli.Result result = run("run", "hello.py", "--input-file", input.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("not valid UTF-8");
  }

  @Test
  void exitsOneWithTheErrorAndStderrTailWhenTheScriptFails() {
    Cli.Result result = run("run", "fail.py");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err())
        .startsWith("stepguard: fail.py FAILED: the script exited with code 3.")
        .contains("Traceback: broken");
  }

  @Test
  void exitsOneWhenTheScriptCrashes() {
    Cli.Result result = run("run", "segv.py", "--json");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("\"status\" : \"CRASHED\"", "\"signal\" : \"SIGSEGV\"");
  }

  @Test
  void exitsTwoOnUsageErrors() {
    assertThat(run("run", "hello.py", "--timeout", "soon").exitCode()).isEqualTo(2);
    assertThat(run("run", "hello.py", "--bogus").exitCode()).isEqualTo(2);
    assertThat(run("run", "hello.py", "--isolation", "vm").err())
        .contains("process, sandbox or auto");
    assertThat(run("run").exitCode()).isEqualTo(2);
    assertThat(Cli.run("run", "hello.py", "--project", project.resolve("nope").toString()).err())
        .contains("does not exist");
  }

  @Test
  void saysWhatIsWrongWithAFlagAndWhatIsAcceptedInTwoLinesWithoutJavaOrTheWholeHelp() {
    Cli.Result isolation = run("run", "hello.py", "--isolation", "sandbx");
    Cli.Result timeout = run("run", "hello.py", "--timeout", "5");
    Cli.Result unknown = run("run", "hello.py", "--timout", "5s");

    assertThat(isolation.exitCode()).isEqualTo(2);
    assertThat(isolation.err())
        .isEqualTo(
            "stepguard: Invalid value for option '--isolation': 'sandbx' is not an isolation"
                + " level; use process, sandbox or auto\n"
                + "  'stepguard run --help' says what it takes\n");
    assertThat(timeout.exitCode()).isEqualTo(2);
    assertThat(timeout.err())
        .startsWith("stepguard: Invalid value for option '--timeout': '5' is not a duration;")
        .contains("e.g. 30s")
        .endsWith("'stepguard run --help' says what it takes\n");
    assertThat(timeout.err().lines()).hasSize(2);
    for (Cli.Result result : List.of(isolation, timeout, unknown)) {
      assertThat(result.err()).doesNotContain("java.", "Exception", "Usage:");
    }
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("--timout", "--timeout", "'stepguard run --help'");
  }

  @Test
  void saysInItsOwnWordsWhatPicocliFoundWrongInOneLinePlusTheHelpPointer() {
    Cli.Result extra = run("run", "hello.py", "extra");
    Cli.Result both = run("run", "hello.py", "--input", "{}", "--input-file", "in.json");
    Cli.Result limit = run("history", "list", "--limit", "99999999999");
    Cli.Result keep = run("history", "prune", "--older-than", "1d", "--keep", "many");
    Cli.Result dash = run("run", "-x.py");
    Cli.Result bogus = run("run", "--bogus");

    assertThat(extra.err())
        .isEqualTo(
            "stepguard: unexpected argument 'extra'\n"
                + "  'stepguard run --help' says what it takes\n");
    assertThat(both.err())
        .isEqualTo(
            "stepguard: give either --input or --input-file, not both\n"
                + "  'stepguard run --help' says what it takes\n");
    assertThat(limit.err())
        .isEqualTo(
            "stepguard: Invalid value for option '--limit': '99999999999' is not a whole number"
                + " from 1 to 1000\n"
                + "  'stepguard history list --help' says what it takes\n");
    assertThat(keep.err())
        .startsWith(
            "stepguard: Invalid value for option '--keep': 'many' is not a whole number from 0 to");
    assertThat(dash.err())
        .isEqualTo(
            "stepguard: unknown option '-x.py'; a script whose name starts with '-' goes after"
                + " '--': stepguard run -- -x.py\n"
                + "  'stepguard run --help' says what it takes\n");
    assertThat(bogus.err())
        .isEqualTo(
            "stepguard: unknown option '--bogus'\n"
                + "  'stepguard run --help' says what it takes\n");
    for (Cli.Result result : List.of(extra, both, limit, keep, dash, bogus)) {
      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.err())
          .doesNotContain("Unmatched", "index", "mutually exclusive", "not an int", "Missing");
    }
  }

  @Test
  void runsAScriptWhoseNameStartsWithADashWhenItIsGivenAfterTheDoubleDash() throws Exception {
    write("-x.py", "import json, sys\njson.dump({'ran': sys.argv[0]}, sys.stdout)\n");

    Cli.Result result = Cli.run("run", "--project", project.toString(), "--", "-x.py");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).contains("\"ran\"");
  }

  @Test
  void exitsThreeWhenTheRunIsRejected() {
    Cli.Result result = run("run", "../outside.py");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.err()).contains("REJECTED", "Nothing was run");
  }

  @Test
  void exitsFourWhenTheScriptTimesOut() {
    Cli.Result result = run("run", "sleep.py", "--timeout", "500ms");

    assertThat(result.exitCode()).isEqualTo(4);
    assertThat(result.err()).contains("TIMED_OUT", "500 ms");
  }

  @Test
  void exitsFiveOnInvalidOutput() {
    Cli.Result result = run("run", "bad.py");

    assertThat(result.exitCode()).isEqualTo(5);
    assertThat(result.err()).contains("INVALID_OUTPUT", "not valid JSON");
  }

  @Test
  void exitsFiveWhenALimitConfiguredInTheProjectIsHit() throws Exception {
    write("stepguard.yaml", "limits:\n  stdout: 64KiB\n");

    Cli.Result result = run("run", "flood.py");

    assertThat(result.exitCode()).isEqualTo(5);
    assertThat(result.err()).contains("LIMIT_EXCEEDED", "64 KiB");
  }

  @Test
  void exitsSixWhenPythonIsMissing() throws Exception {
    Files.writeString(operatorConfig, "python: /nonexistent/python3\n");

    Cli.Result result = runAsOperator("run", "hello.py");

    assertThat(result.exitCode()).isEqualTo(6);
    assertThat(result.err()).contains("LAUNCH_FAILED", "Install Python 3.8");
  }

  @Test
  void runsInTheIsolationAskedFor() throws Exception {
    assumeTrue(
        SandboxLauncherModule.unavailableBecause(project, List.of()).isEmpty(),
        "bubblewrap does not work here");

    Cli.Result sandboxed = run("run", "hello.py", "--isolation", "sandbox", "--json");
    Cli.Result plain = run("run", "hello.py", "--isolation", "process", "--json");
    Cli.Result automatic = run("run", "hello.py", "--json");

    assertThat(Json.reader().readTree(sandboxed.out()).get("isolation").asText())
        .isEqualTo("sandbox");
    assertThat(Json.reader().readTree(plain.out()).get("isolation").asText()).isEqualTo("process");
    assertThat(Json.reader().readTree(automatic.out()).get("isolation").asText())
        .isEqualTo("sandbox");
  }

  @Test
  void takesTheIsolationFromTheOperatorConfig() throws Exception {
    Files.writeString(operatorConfig, "isolation: process\n");

    Cli.Result result = runAsOperator("run", "hello.py", "--json");

    assertThat(Json.reader().readTree(result.out()).get("isolation").asText()).isEqualTo("process");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void reportsABrokenConfigurationWithFileLineAndColumn() throws Exception {
    write("stepguard.yaml", "timeout: 10s\ntimout: 5s\n");

    Cli.Result result = run("run", "hello.py");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("stepguard.yaml:2:1: unknown key 'timout'");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "timeout: 5\\n|stepguard.yaml:1:1: '5' is not a duration; write a whole number with ms",
        "timeout: [5s\\n|stepguard.yaml:1:10: not valid YAML: this '[' is never closed with ']'",
        "timeout: 5s\\ntimeout: 9s\\n|stepguard.yaml:2:1: 'timeout' is given twice",
        "limits:\\n  memory: 1GiB\\n  memory: 2GiB\\n|stepguard.yaml:3:3: 'memory' is given twice",
        "timeout: 5s\\n---\\ntimeout: [\\n|stepguard.yaml:3:1: a second YAML document (after '---')",
        "timeout: 5s\\n---\\ngrace: 1s\\n|stepguard.yaml:3:1: a second YAML document (after '---');"
            + " the file must hold exactly one",
        "limits:\\n\\tmemory: 1GiB\\n|stepguard.yaml:2:1: not valid YAML: a tab, which YAML does not take for indentation",
        "timeout: 5s\\n  grace: 1s\\n|stepguard.yaml:2:8: not valid YAML: ",
        "limits:\\n  memory: lots\\n|stepguard.yaml:2:3: 'lots' is not a size",
        "history:\\n  keep: many\\n|stepguard.yaml:2:3: history.keep takes a whole number, not 'many'",
        "timout: 5s\\n|stepguard.yaml:1:1: unknown key 'timout'; known keys: [env, grace, history,"
            + " http, isolation, limits, maxTimeout, python, pythonPath, sandbox, timeout, trusted, warm]",
      })
  void reportsABadValueOrASyntaxErrorInTheConfigurationAtItsFileLineAndColumn(
      String yaml, String expected) throws Exception {
    write("stepguard.yaml", yaml.replace("\\n", "\n").replace("\\t", "\t"));

    Cli.Result result = run("run", "hello.py");

    assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
    assertThat(result.err()).as(result.err()).contains(expected).doesNotContain("java", "Json");
  }

  @Test
  void saysWhereAConfigurationStopsBeingUtf8AndWhichByteItIs() throws Exception {
    Files.write(
        project.resolve("stepguard.yaml"),
        "timeout: 5s\ngrace: 1\u00e9s\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));

    Cli.Result result = run("run", "hello.py");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err())
        .isEqualTo(
            "stepguard: "
                + project.resolve("stepguard.yaml")
                + ":2:9: not UTF-8 text (byte 0xe9)\n");
  }

  @Test
  void refusesADecimalLookingSizeAndNamesTheBinaryUnit() throws Exception {
    write("stepguard.yaml", "limits:\n  memory: 1GB\n");

    Cli.Result result = run("run", "hello.py");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("stepguard.yaml").contains("'1GB' is ambiguous: write 1GiB");
  }

  @Test
  void takesTheTimeoutFromTheConfigurationUnlessTheFlagOverridesIt() throws Exception {
    write("stepguard.yaml", "timeout: 500ms\ngrace: 100ms\n");

    Cli.Result fromFile = run("run", "sleep.py", "--json");
    Cli.Result fromFlag = run("run", "hello.py", "--json", "--timeout", "7s");

    assertThat(Json.reader().readTree(fromFile.out()).get("timeoutMs").asLong()).isEqualTo(500);
    JsonNode flagged = Json.reader().readTree(fromFlag.out());
    assertThat(flagged.get("timeoutMs").asLong()).isEqualTo(7000);
    assertThat(flagged.get("limits").get("cpuTimeMs").asLong()).isEqualTo(7000 + 100);
  }

  @Test
  void printsHelpWithTheExitCodes() {
    Cli.Result result = Cli.run("run", "--help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .containsPattern("6 +LAUNCH_FAILED")
        .containsPattern("130 +CANCELLED by Ctrl-C")
        .containsPattern("143 +CANCELLED by SIGTERM")
        .contains("--input-file");
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
