package dev.stepguard.core.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.fixtures.FakeProcessTable;
import dev.stepguard.core.fixtures.FixedPathPolicy;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.fixtures.ScriptedProcessLauncher;
import dev.stepguard.core.fixtures.TickingClock;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.ResourceUsage;
import dev.stepguard.core.model.Signals;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScriptExecutorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Requester ADA = Requester.cli("ada");

  private final ScriptedProcessLauncher launcher = new ScriptedProcessLauncher();
  private final InMemoryExecutionStore store = new InMemoryExecutionStore();
  private final FakeProcessTable processes = new FakeProcessTable();
  private final ScriptExecutor executor =
      new ScriptExecutor(
          FixedPathPolicy.of("hello.py", "lib/tool.py"),
          launcher,
          store,
          processes,
          Redactor.defaults(),
          TickingClock.startingAt("2026-01-01T00:00:00Z"));

  private ExecutionRecord run(String script, String input) {
    return executor.execute(
        ExecutionRequest.standalone(
            script,
            input,
            TIMEOUT,
            Duration.ofSeconds(3),
            Limits.defaults(TIMEOUT.toMillis()),
            ADA));
  }

  @Test
  void succeedsWithTheScriptsOutputObject() {
    launcher.printing("hello.py", "{\"greeting\": \"Hello, Ada!\"}\n");

    ExecutionRecord record = run("hello.py", "{\"name\": \"Ada\"}");

    assertThat(record.status()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("greeting").asText()).isEqualTo("Hello, Ada!");
    assertThat(record.inputs().get("name").asText()).isEqualTo("Ada");
    assertThat(record.exitCode()).isZero();
    assertThat(record.error()).isNull();
    assertThat(record.isolation()).isEqualTo(Isolation.PROCESS);
    assertThat(record.interpreter()).isEqualTo(ScriptedProcessLauncher.INTERPRETER);
    assertThat(record.scriptSha256()).isEqualTo(ScriptedProcessLauncher.SHA256);
    assertThat(record.startedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(record.durationMs()).isEqualTo(7);
    assertThat(record.timeoutMs()).isEqualTo(10_000);
    assertThat(record.inputBytes()).isEqualTo(15);
    assertThat(record.outputBytes()).isEqualTo(28);
    assertThat(record.usage()).isEqualTo(new ResourceUsage(5, 9000));
    assertThat(record.workflowRunId()).isNull();
  }

  @Test
  void handsTheLauncherTheInputBytesAndTheLimits() {
    launcher.printing("lib/tool.py", "{}");

    run("lib/tool.py", "{\"a\": [1, 2]}");

    assertThat(launcher.launches()).hasSize(1);
    assertThat(
            new String(launcher.launches().get(0).stdin(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"a\": [1, 2]}");
    assertThat(launcher.launches().get(0).timeout()).isEqualTo(TIMEOUT);
  }

  @Test
  void failsWithTheExitCodeAndStderrOfTheScript() {
    launcher.ending("hello.py", new ProcessEnd.Exited(3), "Traceback: boom\n");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.FAILED);
    assertThat(record.exitCode()).isEqualTo(3);
    assertThat(record.stderr()).contains("boom");
    assertThat(record.error().code()).isEqualTo("EXIT_NONZERO");
    assertThat(record.error().message()).contains("hello.py", "FAILED", "exit", "3");
  }

  @Test
  void crashesWhenASignalTheLauncherDidNotSendEndsTheScript() {
    launcher.ending("hello.py", new ProcessEnd.Signaled(Signals.SIGSEGV), "");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.CRASHED);
    assertThat(record.signal()).isEqualTo("SIGSEGV");
    assertThat(record.exitCode()).isNull();
    assertThat(record.error().message()).contains("SIGSEGV", "CRASHED");
  }

  @Test
  void timesOutAndSaysWhichSignalEndedTheRun() {
    launcher.ending("hello.py", new ProcessEnd.DeadlinePassed(Signals.SIGKILL), "");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.TIMED_OUT);
    assertThat(record.endedBy()).isEqualTo("SIGKILL");
    assertThat(record.error().message()).contains("10 s", "SIGKILL", "grace");
  }

  @Test
  void timesOutGracefullyWhenSigtermWasEnough() {
    launcher.ending("hello.py", new ProcessEnd.DeadlinePassed(Signals.SIGTERM), "");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.endedBy()).isEqualTo("SIGTERM");
    assertThat(record.error().message()).contains("SIGTERM ended it");
  }

  @Test
  void exceedsTheOutputLimitWhenStdoutOverflows() {
    launcher.ending("hello.py", new ProcessEnd.StdoutOverflow(10 * 1024 * 1024), "");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.LIMIT_EXCEEDED);
    assertThat(record.error().code()).isEqualTo("LIMIT_OUTPUT");
    assertThat(record.error().message()).contains("10 MiB");
  }

  @Test
  void exceedsTheMemoryLimitWhenPythonRanOutOfMemory() {
    launcher.ending("hello.py", new ProcessEnd.MemoryExhausted(), "MemoryError");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.error().code()).isEqualTo("LIMIT_MEMORY");
    assertThat(record.error().message()).contains("1 GiB");
  }

  @Test
  void exceedsTheMemoryLimitWhenTheRunAsAWholeReachedIt() {
    launcher.ending("hello.py", new ProcessEnd.RunMemoryExhausted(), "");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.LIMIT_EXCEEDED);
    assertThat(record.error().code()).isEqualTo("LIMIT_MEMORY");
    assertThat(record.error().message()).contains("together", "1 GiB", "killed");
  }

  @Test
  void exceedsTheCpuLimitOnSigxcpu() {
    launcher.ending("hello.py", new ProcessEnd.Signaled(Signals.SIGXCPU), "");

    assertThat(run("hello.py", "{}").error().code()).isEqualTo("LIMIT_CPU");
  }

  @Test
  void exceedsTheCpuLimitWhenTheKernelKilledTheScriptAtIt() {
    launcher.on(
        "hello.py",
        launch ->
            new LaunchResult.Completed(
                new ProcessEnd.Signaled(Signals.SIGKILL),
                new byte[0],
                "",
                false,
                new ResourceUsage(10_001, 9000),
                ScriptedProcessLauncher.INTERPRETER,
                ScriptedProcessLauncher.SHA256));

    assertThat(run("hello.py", "{}").error().code()).isEqualTo("LIMIT_CPU");
  }

  @Test
  void crashesOnSigkillFarFromTheCpuLimit() {
    launcher.ending("hello.py", new ProcessEnd.Signaled(Signals.SIGKILL), "");

    assertThat(run("hello.py", "{}").status()).isEqualTo(Status.CRASHED);
  }

  @Test
  void exceedsTheFileSizeLimitOnSigxfsz() {
    launcher.ending("hello.py", new ProcessEnd.Signaled(Signals.SIGXFSZ), "");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.error().code()).isEqualTo("LIMIT_FILE_SIZE");
    assertThat(record.error().message()).contains("64 MiB");
  }

  @Test
  void rejectsOutputThatIsNotAnObject() {
    launcher.printing("hello.py", "[1,2]");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.INVALID_OUTPUT);
    assertThat(record.exitCode()).isZero();
    assertThat(record.output()).isNull();
    assertThat(record.error().message()).contains("not a JSON object", "byte 0", "exit code 0");
  }

  @Test
  void rejectsAPathOutsideTheProjectWithoutLaunching() {
    ExecutionRecord record = run("../outside.py", "{}");

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(record.error().message()).contains("'..'", "Nothing was run");
    assertThat(launcher.launches()).isEmpty();
  }

  @Test
  void rejectsAScriptThePolicyRefuses() {
    ExecutionRecord record = run("missing.py", "{}");

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(record.error().message()).contains("does not exist");
    assertThat(record.inputs()).isNotNull();
    assertThat(launcher.launches()).isEmpty();
  }

  @Test
  void rejectsInputThatIsNotAnObject() {
    ExecutionRecord record = run("hello.py", "[1]");

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(record.error().message()).contains("input", "not a JSON object");
    assertThat(launcher.launches()).isEmpty();
  }

  @Test
  void rejectsInputLargerThanTheLimit() {
    Limits small = new Limits(1000, 1 << 30, 1 << 20, 64, 64, 1 << 20, 1024, 16, 200, 1 << 20);

    ExecutionRecord record =
        executor.execute(
            ExecutionRequest.standalone(
                "hello.py", "{\"much\": \"too long\"}", TIMEOUT, Duration.ZERO, small, ADA));

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(record.error().message()).contains("more than the limit of 16 bytes");
  }

  @Test
  void recordsALaunchFailureWithItsReason() {
    launcher.on(
        "hello.py",
        launch -> new LaunchResult.NotStarted("python3 was not found; install it", null));

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.LAUNCH_FAILED);
    assertThat(record.error().message()).contains("install it");
    assertThat(record.interpreter()).isNull();
  }

  @Test
  void turnsALauncherThatThrowsIntoALaunchFailure() {
    launcher.on(
        "hello.py",
        launch -> {
          throw new IllegalStateException("boom");
        });

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.LAUNCH_FAILED);
    assertThat(record.error().message()).contains("boom");
  }

  @Test
  void rejectsAScriptTheBootstrapRefusedToOpen() {
    launcher.ending("hello.py", new ProcessEnd.ScriptRefused("a symbolic link appeared"), "");

    ExecutionRecord record = run("hello.py", "{}");

    assertThat(record.status()).isEqualTo(Status.REJECTED);
    assertThat(record.error().message()).contains("symbolic link");
  }
}
