package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelInvariantsTest {
  private static final Requester ADA = Requester.cli("ada");

  @Test
  void limitsMustBePositive() {
    assertThatThrownBy(() -> new Limits(0, 1, 1, 1, 1, 1, 1, 1, 1, 1))
        .hasMessageContaining("cpuTime");
    assertThatThrownBy(() -> new Limits(1, 1, 1, 1, 1, 1, 1, 1, 0, 1))
        .hasMessageContaining("jsonDepth");
  }

  @Test
  void defaultLimitsFollowTheSecurityModel() {
    Limits limits = Limits.defaults(30_000);

    assertThat(limits.cpuTimeMs()).isEqualTo(30_000);
    assertThat(limits.memoryBytes()).isEqualTo(1L << 30);
    assertThat(limits.fileSizeBytes()).isEqualTo(64L << 20);
    assertThat(limits.openFiles()).isEqualTo(256);
    assertThat(limits.stdoutBytes()).isEqualTo(10L << 20);
    assertThat(limits.stderrTailBytes()).isEqualTo(64L << 10);
    assertThat(limits.inputBytes()).isEqualTo(4L << 20);
    assertThat(limits.jsonDepth()).isEqualTo(200);
    assertThat(limits.processes()).isEqualTo(64);
  }

  @Test
  void cpuLimitRoundsUpToWholeSeconds() {
    assertThat(Limits.defaults(1).cpuTimeSeconds()).isEqualTo(1);
    assertThat(Limits.defaults(1000).cpuTimeSeconds()).isEqualTo(1);
    assertThat(Limits.defaults(1001).cpuTimeSeconds()).isEqualTo(2);
    assertThat(Limits.defaults(5000).withCpuTimeMs(2500).cpuTimeMs()).isEqualTo(2500);
  }

  @Test
  void aScriptNameTooLongToRunIsKeptOnlyAsLongAsItTakesToRefuseIt() {
    ExecutionRequest request =
        ExecutionRequest.standalone(
            "a".repeat(3_000_000) + ".py",
            "{}",
            Duration.ofSeconds(1),
            Duration.ZERO,
            Limits.defaults(1000),
            ADA);

    assertThat(request.script()).hasSize(ScriptPath.MAX_LENGTH + 1);
    assertThat(ScriptPath.problemWith(request.script())).isPresent();
  }

  @Test
  void requestsNeedAPositiveTimeoutAndANonNegativeGrace() {
    Limits limits = Limits.defaults(1000);
    assertThatThrownBy(
            () ->
                ExecutionRequest.standalone(
                    "a.py", "{}", Duration.ZERO, Duration.ZERO, limits, ADA))
        .hasMessageContaining("timeout");
    assertThatThrownBy(
            () ->
                ExecutionRequest.standalone(
                    "a.py", "{}", Duration.ofSeconds(1), Duration.ofSeconds(-1), limits, ADA))
        .hasMessageContaining("grace");
  }

  @Test
  void outcomesRefuseContradictions() {
    assertThatThrownBy(() -> new Outcome.Failed(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Outcome.TimedOut(1000, Signals.SIGSEGV))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Outcome.Succeeded(JsonNodeFactory.instance.arrayNode()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyTerminalStatusHasItsOwnOutcomeType() {
    assertThat(new Outcome.Succeeded(JsonNodeFactory.instance.objectNode()).status())
        .isEqualTo(Status.SUCCEEDED);
    assertThat(new Outcome.Failed(1).status()).isEqualTo(Status.FAILED);
    assertThat(new Outcome.Crashed(11).status()).isEqualTo(Status.CRASHED);
    assertThat(new Outcome.TimedOut(1, Signals.SIGKILL).status()).isEqualTo(Status.TIMED_OUT);
    assertThat(new Outcome.LimitExceeded(LimitKind.CPU, "x").status())
        .isEqualTo(Status.LIMIT_EXCEEDED);
    assertThat(new Outcome.InvalidOutput("x").status()).isEqualTo(Status.INVALID_OUTPUT);
    assertThat(new Outcome.Rejected("x").status()).isEqualTo(Status.REJECTED);
    assertThat(new Outcome.LaunchFailed("x").status()).isEqualTo(Status.LAUNCH_FAILED);
    assertThat(new Outcome.Abandoned("x").status()).isEqualTo(Status.ABANDONED);
  }

  @Test
  void aRecordHasAnErrorExactlyWhenTheRunDidNotSucceed() {
    assertThatThrownBy(() -> record(Status.SUCCEEDED, new ErrorInfo("X", "y")))
        .hasMessageContaining("error");
    assertThatThrownBy(() -> record(Status.FAILED, null)).hasMessageContaining("error");
    assertThat(record(Status.RUNNING, null).status()).isEqualTo(Status.RUNNING);
  }

  @Test
  void executionIdsAreUuidsWithAShortForm() {
    ExecutionId id = ExecutionId.random();

    assertThat(id.shortForm()).hasSize(8);
    assertThat(id.value()).startsWith(id.shortForm());
    assertThat(id.toString()).isEqualTo(id.value());
    assertThatThrownBy(() -> new ExecutionId("not-a-uuid"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signalsHaveNames() {
    assertThat(Signals.name(11)).isEqualTo("SIGSEGV");
    assertThat(Signals.name(24)).isEqualTo("SIGXCPU");
    assertThat(Signals.name(42)).isEqualTo("signal 42");
  }

  @Test
  void isolationLevelsAreWrittenInLowerCase() throws Exception {
    assertThat(Json.writer().writeValueAsString(Isolation.SANDBOX)).isEqualTo("\"sandbox\"");
    assertThat(Isolation.PROCESS.label()).isEqualTo("process");
  }

  @Test
  void recordsAreWrittenAsCamelCaseJsonWithIsoInstants() throws Exception {
    String json = Json.writer().writeValueAsString(record(Status.RUNNING, null));

    assertThat(json)
        .contains("\"startedAt\":\"2026-01-01T00:00:00Z\"")
        .contains("\"stderrTruncated\":false")
        .contains("\"workflowRunId\":null");
  }

  @Test
  void usageSaysWhichCapsHeldTheRunInLowerCase() throws Exception {
    ResourceUsage usage =
        new ResourceUsage(5, 900).withRun(2048, ResourceCap.RUN, ResourceCap.USER);

    assertThat(Json.writer().writeValueAsString(usage))
        .isEqualTo(
            "{\"cpuMs\":5,\"maxRssKib\":900,\"runPeakKib\":2048,"
                + "\"memoryCap\":\"run\",\"processCap\":\"user\"}");
    assertThat(ResourceUsage.UNKNOWN.memoryCap()).isNull();
    assertThat(ResourceUsage.UNKNOWN.runPeakKib()).isEqualTo(-1);
  }

  @Test
  void memoryIsCappedPerRunOrPerProcessAndProcessesNeverPerProcess() {
    assertThatThrownBy(() -> new ResourceUsage(1, 1, -1, ResourceCap.NONE, ResourceCap.NONE))
        .hasMessageContaining("memory");
    assertThatThrownBy(() -> new ResourceUsage(1, 1, -1, ResourceCap.PROCESS, ResourceCap.PROCESS))
        .hasMessageContaining("processes");
  }

  @Test
  void healthReportsAndErrorsNeedTheirParts() {
    assertThatThrownBy(() -> new HealthReport("python", true, null, ""))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new ErrorInfo("X", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Interpreter(null, "3.11"))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aRecordRebuiltFromItsBuilderKeepsEveryPart() {
    for (Status status : List.of(Status.SUCCEEDED, Status.CANCELLED, Status.CRASHED)) {
      ExecutionRecord closed =
          dev.stepguard.core.fixtures.SampleRecords.closed(
              dev.stepguard.core.fixtures.SampleRecords.running(
                  ExecutionId.random(), "a.py", Instant.parse("2026-01-01T00:00:00Z"), "wf-1"),
              status);

      assertThat(closed.toBuilder().build()).isEqualTo(closed);
    }
  }

  @Test
  void aBuilderRefusesARecordWithoutItsRequiredParts() {
    assertThatThrownBy(() -> ExecutionRecord.builder().build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("id");
    assertThatThrownBy(() -> record(Status.SUCCEEDED, null).toBuilder().stderr(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("stderr");
  }

  private static ExecutionRecord record(Status status, ErrorInfo error) {
    return ExecutionRecord.builder()
        .id(ExecutionId.random())
        .status(status)
        .script("a.py")
        .inputs(JsonNodeFactory.instance.objectNode())
        .error(error)
        .startedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .timeoutMs(1000)
        .limits(Limits.defaults(1000))
        .isolation(Isolation.PROCESS)
        .inputBytes(2)
        .requestedBy(ADA)
        .build();
  }

  @Test
  void requestsCopyTheirEnvironment() {
    java.util.HashMap<String, String> env = new java.util.HashMap<>(Map.of("A", "1"));
    ExecutionRequest request =
        new ExecutionRequest(
            "a.py",
            "{}",
            Duration.ofSeconds(1),
            Duration.ZERO,
            Limits.defaults(1000),
            env,
            "wf",
            "step",
            ADA);
    env.put("B", "2");

    assertThat(request.env()).containsOnlyKeys("A");
  }

  @Test
  void requestsRefuseEnvironmentVariablesThatAreNeverPassed() {
    for (String name : List.of("LD_PRELOAD", "PYTHONPATH", "PATH", "STEPGUARD_EXECUTION_ID")) {
      assertThatThrownBy(
              () ->
                  new ExecutionRequest(
                      "a.py",
                      "{}",
                      Duration.ofSeconds(1),
                      Duration.ZERO,
                      Limits.defaults(1000),
                      Map.of(name, "x"),
                      "wf",
                      "step",
                      ADA))
          .as(name)
          .hasMessageContaining("is never passed to scripts");
    }
  }
}
