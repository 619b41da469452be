package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.LaunchResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interpreter check waits at most its timeout, however the interpreter it finds behaves. */
class PythonLocatorProbeTest {
  /** A hang guard, not a benchmark: the probe gives up after one second. */
  private static final Duration GUARD = Duration.ofSeconds(10);

  @TempDir Path temp;

  /** An "interpreter" that runs {@code body}, with {@code $PIDS} the file to note its pids in. */
  private PythonLocator.Discovery probe(String body) throws Exception {
    PythonLocator locator = locator(body);
    return assertTimeoutPreemptively(GUARD, () -> locator.locate());
  }

  /** A script body that hangs the first time it is asked and answers as Python 3.12 after. */
  private static String hangsFirst(Path asked) {
    return "echo asked >>"
        + asked
        + "\nif [ $(wc -l <"
        + asked
        + ") -eq 1 ]; then echo $$ >$PIDS; exec sleep 600; fi"
        + "\ncat >/dev/null; echo; echo 3.12.1; echo e3";
  }

  /** A locator that gives the interpreter running {@code body} one second to answer. */
  private PythonLocator locator(String body) throws Exception {
    return locator(body, Duration.ofSeconds(1));
  }

  private PythonLocator locator(String body, Duration timeout) throws Exception {
    Path python = temp.resolve("python3");
    Files.writeString(python, "#!/bin/sh\nPIDS=" + temp.resolve("pids") + "\n" + body + "\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
    return new PythonLocator(
        new ProcessSettings(Pythons.NO_PROJECT, python.toString()), System.getenv("PATH"), timeout);
  }

  private void assertNothingLeftRunning() throws Exception {
    for (long pid : Leftover.pids(temp.resolve("pids"))) {
      assertThat(Leftover.stillRuns(pid)).as("process %d still runs", pid).isFalse();
    }
  }

  @Test
  void givesUpOnAnInterpreterThatHangsWithoutReadingItsInput() throws Exception {
    PythonLocator.Discovery found = probe("echo $$ >$PIDS\nexec sleep 600");

    assertThat(((PythonLocator.Discovery.Unanswered) found).reason())
        .endsWith("python3 did not answer within 1 s");
    assertNothingLeftRunning();
  }

  @Test
  void givesUpOnAnInterpreterThatAnswersHalfThenHangsAndKillsItsChildren() throws Exception {
    PythonLocator.Discovery found =
        probe("echo /usr/bin/python3\necho 3.12.1\nsleep 600 &\necho $$ $! >$PIDS\nwait");

    assertThat(((PythonLocator.Discovery.Unanswered) found).reason())
        .endsWith("python3 did not answer within 1 s");
    assertNothingLeftRunning();
  }

  @Test
  void saysAnInterpreterThatDidNotAnswerInTimeMayHangOrBeStarvedNotThatPythonIsMissing()
      throws Exception {
    PythonLocator locator = locator("echo $$ >$PIDS\nexec sleep 600");

    LaunchResult.NotStarted launch =
        ((PythonLocator.Discovery.Absent) assertTimeoutPreemptively(GUARD, () -> locator.locate()))
            .notStarted();
    HealthReport doctor = locator.check();

    assertThat(launch.reason())
        .contains("did not answer within 1 s", "may hang", "too busy")
        .doesNotContain("Install Python");
    assertThat(doctor.ok()).isFalse();
    assertThat(doctor.detail()).endsWith("did not answer within 1 s");
    assertThat(doctor.remedy()).contains("a later run asks it again").doesNotContain("Install");
    assertNothingLeftRunning();
  }

  @Test
  void asksAnInterpreterThatDidNotAnswerAgainOnceAsLongAgainHasPassed() throws Exception {
    Path asked = temp.resolve("asked");
    // hangs the first time it is asked, answers as a Python 3.12 from then on
    PythonLocator locator = locator(hangsFirst(asked));

    PythonLocator.Discovery first = assertTimeoutPreemptively(GUARD, () -> locator.locate());
    PythonLocator.Discovery atOnce = locator.locate();
    Thread.sleep(1100);
    PythonLocator.Discovery later = assertTimeoutPreemptively(GUARD, () -> locator.locate());

    assertThat(first).isInstanceOf(PythonLocator.Discovery.Unanswered.class);
    assertThat(atOnce).as("not asked again at once").isSameAs(first);
    assertThat(later).isInstanceOf(PythonLocator.Discovery.Found.class);
    assertThat(Files.readAllLines(asked)).hasSize(2);
    assertThat(locator.locate()).as("found stays found").isSameAs(later);
    assertNothingLeftRunning();
  }

  @Test
  void asksAgainForAnInterpreterThatWasMissingOnceItsAnswerHasStood() throws Exception {
    Path real =
        ((PythonLocator.Discovery.Found) Pythons.onPath(System.getenv("PATH")).locate())
            .executable();
    Path python = temp.resolve("later").resolve("python3");
    PythonLocator locator =
        new PythonLocator(
            new ProcessSettings(Pythons.NO_PROJECT, python.toString()),
            System.getenv("PATH"),
            Duration.ofSeconds(2));

    PythonLocator.Discovery missing = locator.locate();
    Files.createDirectories(python.getParent());
    Files.createSymbolicLink(python, real);
    PythonLocator.Discovery atOnce = locator.locate();
    Thread.sleep(2100);
    PythonLocator.Discovery later = assertTimeoutPreemptively(GUARD, () -> locator.locate());

    assertThat(((PythonLocator.Discovery.Missing) missing).reason()).endsWith("does not exist");
    assertThat(atOnce).as("the answer stands for a while").isSameAs(missing);
    assertThat(later).as("a repair is noticed").isInstanceOf(PythonLocator.Discovery.Found.class);
  }

  @Test
  void whileOneCallerAsksAHungInterpreterAgainTheOthersAreToldAtOnce() throws Exception {
    PythonLocator locator = locator("echo $$ >>$PIDS\nexec sleep 600", Duration.ofSeconds(2));
    PythonLocator.Discovery first = assertTimeoutPreemptively(GUARD, () -> locator.locate());
    Thread.sleep(2100);
    Thread again = new Thread(locator::locate);
    again.start();
    long deadline = System.nanoTime() + GUARD.toNanos();
    while (Leftover.pids(temp.resolve("pids")).size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    PythonLocator.Discovery meanwhile = locator.locate();
    boolean stillAsking = again.isAlive();
    again.join(GUARD.toMillis());

    assertThat(stillAsking).as("told before the other caller's look ended").isTrue();
    assertThat(meanwhile).isSameAs(first);
    assertThat(Leftover.pids(temp.resolve("pids"))).as("asked twice, not three times").hasSize(2);
    assertNothingLeftRunning();
  }

  @Test
  void makesAnInterruptedLookAgainAtTheNextCall() throws Exception {
    Path asked = temp.resolve("asked");
    PythonLocator locator = locator(hangsFirst(asked), Duration.ofSeconds(60));
    AtomicReference<PythonLocator.Discovery> interrupted = new AtomicReference<>();
    Thread look = new Thread(() -> interrupted.set(locator.locate()));
    look.start();
    long deadline = System.nanoTime() + GUARD.toNanos();
    while (!Files.exists(temp.resolve("pids")) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    look.interrupt();
    look.join(GUARD.toMillis());
    PythonLocator.Discovery next = assertTimeoutPreemptively(GUARD, () -> locator.locate());

    assertThat(interrupted.get()).isInstanceOf(PythonLocator.Discovery.Unanswered.class);
    assertThat(next).isInstanceOf(PythonLocator.Discovery.Found.class);
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
