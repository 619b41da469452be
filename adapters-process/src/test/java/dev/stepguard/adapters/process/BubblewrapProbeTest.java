package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bubblewrap check waits at most its timeout, however the bwrap it finds behaves. */
class BubblewrapProbeTest {
  /** A hang guard, not a benchmark: the probe gives up after one second. */
  private static final Duration GUARD = Duration.ofSeconds(10);

  @TempDir Path temp;

  private Path fakeBwrap(String body) throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path bwrap = bin.resolve("bwrap");
    Files.writeString(bwrap, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(bwrap, PosixFilePermissions.fromString("rwx------"));
    return bin;
  }

  @Test
  void saysWhyABwrapThatCannotBeStartedCouldNotBeRun() throws Exception {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    Path bwrap = bin.resolve("bwrap");
    Files.writeString(bwrap, "#!" + temp.resolve("no-such-shell") + "\n");
    Files.setPosixFilePermissions(bwrap, PosixFilePermissions.fromString("rwx------"));

    Bubblewrap.Probe probe = new Bubblewrap(bin.toString(), Duration.ofSeconds(5)).probe();

    assertThat(((Bubblewrap.Probe.Broken) probe).reason())
        .startsWith(bwrap + " could not be run: ");
  }

  @Test
  void saysItWasInterruptedWhileTryingBwrapAndKeepsTheInterrupt() throws Exception {
    Path bin = fakeBwrap("exec sleep 30");

    Thread.currentThread().interrupt();
    Bubblewrap.Probe probe;
    boolean stillInterrupted;
    try {
      probe = new Bubblewrap(bin.toString(), Duration.ofSeconds(20)).probe();
    } finally {
      stillInterrupted = Thread.interrupted();
    }

    assertThat(((Bubblewrap.Probe.Unanswered) probe).reason())
        .as("an interrupted check is no reason for auto isolation to fall back")
        .isEqualTo("interrupted while trying " + bin.resolve("bwrap"));
    assertThat(stillInterrupted).as("the interrupt is kept for the caller").isTrue();
  }

  @Test
  void givesUpOnABwrapThatHangsAtItsTimeout() throws Exception {
    Path bin = fakeBwrap("echo $$ >" + temp.resolve("pids") + "\nexec sleep 600");

    Bubblewrap.Probe probe =
        assertTimeoutPreemptively(
            GUARD, () -> new Bubblewrap(bin.toString(), Duration.ofSeconds(1)).probe());

    assertThat(((Bubblewrap.Probe.Unanswered) probe).reason())
        .endsWith("did not answer within 1 s");
    assertThat(Leftover.stillRuns(Leftover.pids(temp.resolve("pids")).get(0))).isFalse();
  }

  @Test
  void saysABwrapWhoseNamespaceTrialHangsDidNotAnswerNotThatItCannotMakeNamespaces()
      throws Exception {
    Path bin =
        fakeBwrap(
            "if [ \"$1\" = --version ]; then echo 'bubblewrap 0.8.0'; exit 0; fi\necho $$ >"
                + temp.resolve("pids")
                + "\nexec sleep 600");

    Bubblewrap.Probe probe =
        assertTimeoutPreemptively(
            GUARD, () -> new Bubblewrap(bin.toString(), Duration.ofSeconds(1)).probe());

    assertThat(((Bubblewrap.Probe.Unanswered) probe).reason())
        .as("the trial has what is left of the one-second deadline")
        .contains("did not answer within")
        .doesNotContain("cannot create namespaces");
    assertThat(Leftover.stillRuns(Leftover.pids(temp.resolve("pids")).get(0))).isFalse();
  }

  /**
   * Whether the JDK drains and closes the pipe when the process exits or the reader is left waiting
   * on the leftover child depends on timing; either way the probe must end in time.
   */
  @Test
  void doesNotHangOnOutputThatALeftoverChildHoldsOpen() throws Exception {
    Path bin =
        fakeBwrap("sleep 600 &\necho $! >>" + temp.resolve("pids") + "\necho 'bubblewrap 0.0'");

    Bubblewrap.Probe probe =
        assertTimeoutPreemptively(
            GUARD, () -> new Bubblewrap(bin.toString(), Duration.ofSeconds(1)).probe());

    assertThat(probe)
        .isInstanceOfAny(Bubblewrap.Probe.Unanswered.class, Bubblewrap.Probe.Broken.class)
        .asString()
        .containsAnyOf("its output did not end", "cannot create namespaces here");
    for (long pid : Leftover.pids(temp.resolve("pids"))) {
      assertThat(Leftover.stillRuns(pid)).as("process %d still runs", pid).isFalse();
    }
  }

  @Test
  void takesABwrapShortOfResourcesForAMomentAsUnansweredNotAsUnableToMakeNamespaces()
      throws Exception {
    Path bin =
        fakeBwrap(
            "if [ \"$1\" = --version ]; then echo 'bubblewrap 0.8.0'; exit 0; fi\n"
                + "echo 'bwrap: Creating new namespace failed: Resource temporarily unavailable'"
                + "\nexit 1");

    Bubblewrap.Probe probe = new Bubblewrap(bin.toString(), Duration.ofSeconds(5)).probe();

    assertThat(((Bubblewrap.Probe.Unanswered) probe).reason())
        .contains("short of resources", "Resource temporarily unavailable");
  }

  @Test
  void asksBwrapOncePerProcessHoweverManyAskAboutTheSameSearchPath() throws Exception {
    Path bin = fakeBwrap("echo asked >>" + temp.resolve("asked") + "\necho 'bubblewrap 0.0'");

    Bubblewrap.Probe first = new Bubblewrap(bin.toString(), Duration.ofSeconds(5)).probe();
    Bubblewrap.Probe second = new Bubblewrap(bin.toString(), Duration.ofSeconds(5)).probe();

    assertThat(second).isEqualTo(first);
    assertThat(Files.readAllLines(temp.resolve("asked"))).hasSize(2);
  }

  @Test
  void asksAgainOnceAFailedAnswerHasStoodItsTimeSoThatAServerSeesBwrapInstalled() throws Exception {
    Path bin = fakeBwrap("echo 'bubblewrap 0.0'");
    Bubblewrap bubblewrap = new Bubblewrap(bin.toString(), Duration.ofSeconds(5), Duration.ZERO);
    assertThat(bubblewrap.probe()).isInstanceOf(Bubblewrap.Probe.Broken.class);

    fakeBwrap("if [ \"$1\" = --version ]; then echo 'bubblewrap 0.9'; else echo ok; fi");

    assertThat(bubblewrap.probe())
        .isEqualTo(new Bubblewrap.Probe.Works(bin.resolve("bwrap"), "bubblewrap 0.9"));
  }
}
