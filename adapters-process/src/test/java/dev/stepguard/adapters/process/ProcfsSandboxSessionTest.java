package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The session sweep with real bubblewrap: bwrap's pid leads no session, the script inside does. */
class ProcfsSandboxSessionTest {
  private static final Path BWRAP = Path.of("/usr/bin/bwrap");
  private Process bwrap;

  @AfterEach
  void stop() {
    if (bwrap != null) {
      bwrap.descendants().forEach(ProcessHandle::destroyForcibly);
      bwrap.destroyForcibly();
    }
  }

  private List<ProcessHandle> startSandboxedScriptWithSessionMembers() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(BWRAP), "bubblewrap is not installed at " + BWRAP);
    bwrap =
        new ProcessBuilder(
                BWRAP.toString(),
                "--unshare-pid",
                "--new-session",
                "--ro-bind",
                "/",
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "--",
                "sh",
                "-c",
                "sleep 300 & sleep 300 & wait")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<ProcessHandle> sleeps = List.of();
    while (sleeps.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
      sleeps =
          bwrap
              .descendants()
              .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
              .toList();
    }
    Assumptions.assumeTrue(
        sleeps.size() == 2 && bwrap.isAlive(),
        "bubblewrap cannot create a PID namespace here (bwrap --unshare-pid failed)");
    return sleeps;
  }

  @Test
  void sessionsUnderBwrapAreTheScriptsNeverStepguardsOwn() throws Exception {
    startSandboxedScriptWithSessionMembers();

    Set<Long> sessions = Leftovers.sessionsUnder(bwrap.toHandle());

    long own = ProcessIdentities.sessionOf(ProcessHandle.current().pid()).orElseThrow();
    assertThat(sessions).isNotEmpty().doesNotContain(own, bwrap.pid());
  }

  @Test
  void sandboxSweepEndsTheSandboxedScriptsSessionMembers() throws Exception {
    List<ProcessHandle> sleeps = startSandboxedScriptWithSessionMembers();

    Leftovers.kill(Leftovers.sessionsUnder(bwrap.toHandle()), "no-run-carries-this-id", 0);

    for (ProcessHandle sleep : sleeps) {
      assertThat(sleep.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
    }
    assertThat(bwrap.waitFor(5, TimeUnit.SECONDS)).isTrue();
  }
}
