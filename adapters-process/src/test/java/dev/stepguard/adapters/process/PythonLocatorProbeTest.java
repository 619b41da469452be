package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interpreter check waits at most its timeout, however the interpreter it finds behaves. */
class PythonLocatorProbeTest {
  /** A hang guard, not a benchmark: the probe gives up after one second. */
  private static final Duration GUARD = Duration.ofSeconds(10);

  @TempDir Path temp;

  /** An "interpreter" that runs {@code body}, with {@code $PIDS} the file to note its pids in. */
  private PythonLocator.Discovery probe(String body) throws Exception {
    Path python = temp.resolve("python3");
    Files.writeString(python, "#!/bin/sh\nPIDS=" + temp.resolve("pids") + "\n" + body + "\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
    PythonLocator locator =
        new PythonLocator(
            new ProcessSettings(Pythons.NO_PROJECT, python.toString()),
            System.getenv("PATH"),
            Duration.ofSeconds(1));
    return assertTimeoutPreemptively(GUARD, () -> locator.locate());
  }

  private void assertNothingLeftRunning() throws Exception {
    for (long pid : Leftover.pids(temp.resolve("pids"))) {
      assertThat(Leftover.stillRuns(pid)).as("process %d still runs", pid).isFalse();
    }
  }

  @Test
  void givesUpOnAnInterpreterThatHangsWithoutReadingItsInput() throws Exception {
    PythonLocator.Discovery found = probe("echo $$ >$PIDS\nexec sleep 600");

    assertThat(((PythonLocator.Discovery.Missing) found).reason())
        .endsWith("python3 did not answer within 1 s");
    assertNothingLeftRunning();
  }

  @Test
  void givesUpOnAnInterpreterThatAnswersHalfThenHangsAndKillsItsChildren() throws Exception {
    PythonLocator.Discovery found =
        probe("echo /usr/bin/python3\necho 3.12.1\nsleep 600 &\necho $$ $! >$PIDS\nwait");

    assertThat(((PythonLocator.Discovery.Missing) found).reason())
        .endsWith("python3 did not answer within 1 s");
    assertNothingLeftRunning();
  }

  /**
   * Whether the JDK drains and closes the pipe when the interpreter exits or the reader is left
   * waiting on the leftover child depends on timing; either way the probe ends and the child dies.
   */
  @Test
  void doesNotHangOnOutputThatALeftoverChildHoldsOpenAndKillsTheChild() throws Exception {
    PythonLocator.Discovery found =
        probe("sleep 600 &\necho $! >$PIDS\necho /usr/bin/python3\nsleep 0.2\nexit 0");

    assertThat(((PythonLocator.Discovery.Missing) found).reason())
        .containsAnyOf("its output did not end", "is not a working Python interpreter");
    assertNothingLeftRunning();
  }

  @Test
  void refusesAnInterpreterThatSaysTooMuch() throws Exception {
    PythonLocator.Discovery found =
        probe("echo $$ >$PIDS\necho\necho 3.12.1\nyes e3 | head -c 3000000 | tr -d '\\n'");

    assertThat(((PythonLocator.Discovery.Missing) found).reason())
        .contains("is not a working Python interpreter");
    assertNothingLeftRunning();
  }
}
