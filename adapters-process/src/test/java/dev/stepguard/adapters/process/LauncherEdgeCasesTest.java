package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.Launch;
import dev.stepguard.core.port.LaunchResult;
import dev.stepguard.core.port.ProcessEnd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the launcher does when the interpreter itself misbehaves or stepguard is interrupted. */
class LauncherEdgeCasesTest {
  @TempDir Path temp;

  /** A stand-in interpreter: answers the version probe, then runs {@code body} as the "script". */
  private LocalProcessLauncher launcherWithFakePython(String body) throws Exception {
    Path fake = Files.createDirectories(temp.resolve("bin")).resolve("python3");
    Files.writeString(
        fake,
        "#!/bin/sh\n"
            + "if [ \"$4\" = \"-c\" ] && [ \"$#\" -eq 5 ]; then cat >/dev/null; echo; echo 3.11.0; echo e3; exit 0; fi\n"
            + body
            + "\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    return new LocalProcessLauncher(Pythons.named(fake.toString(), ""));
  }

  private Path project() {
    try {
      return Files.createDirectories(temp.resolve("proj"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private Launch launch() {
    return new Launch(
        ExecutionId.random(),
        project(),
        new ScriptPath("a.py"),
        "{}".getBytes(StandardCharsets.UTF_8),
        Duration.ofSeconds(10),
        Duration.ofMillis(200),
        Limits.defaults(10_000),
        Map.of());
  }

  @Test
  void readsTheExitCodeWhenNoReportWasWritten() throws Exception {
    LaunchResult.Completed result =
        (LaunchResult.Completed) launcherWithFakePython("echo broken >&2; exit 3").launch(launch());

    assertThat(result.end()).isEqualTo(new ProcessEnd.Exited(3));
    assertThat(result.stderr()).contains("broken");
    assertThat(result.scriptSha256()).isNull();
  }

  @Test
  void readsASignalFromTheExitStatusWhenNoReportWasWritten() throws Exception {
    LaunchResult.Completed result =
        (LaunchResult.Completed) launcherWithFakePython("kill -SEGV $$").launch(launch());

    assertThat(result.end()).isEqualTo(new ProcessEnd.Signaled(11));
  }

  @Test
  void saysTheInterpreterCouldNotBeStartedWhenItVanished() throws Exception {
    LocalProcessLauncher launcher = launcherWithFakePython("exit 0");
    launcher.launch(launch());
    Files.delete(temp.resolve("bin/python3"));

    LaunchResult result = launcher.launch(launch());

    assertThat(((LaunchResult.NotStarted) result).reason()).contains("could not start");
  }

  @Test
  void stopsTheRunAndSaysSoWhenInterrupted() throws Exception {
    LocalProcessLauncher launcher = launcherWithFakePython("sleep 30");
    launcher.launch(launch());
    Thread.currentThread().interrupt();

    LaunchResult result = launcher.launch(launch());

    assertThat(Thread.interrupted()).isTrue();
    assertThat(((LaunchResult.NotStarted) result).reason()).contains("interrupted");
    assertThat(AdversarialCases.strayDescendants()).isEmpty();
  }

  @Test
  void passesTheLocaleOfTheHost() {
    Map<String, String> env =
        ChildEnvironment.of(
            launch(),
            Path.of("/opt/py/bin/python3"),
            Path.of("/tmp/home"),
            temp,
            Map.of("LANG", "de_DE.UTF-8", "LC_ALL", "de_DE.UTF-8", "SECRET", "x"));

    assertThat(env)
        .containsEntry("LANG", "de_DE.UTF-8")
        .containsEntry("LC_ALL", "de_DE.UTF-8")
        .containsEntry("PATH", "/opt/py/bin:" + ChildEnvironment.SYSTEM_PATH)
        .doesNotContainKey("SECRET");
  }
}
