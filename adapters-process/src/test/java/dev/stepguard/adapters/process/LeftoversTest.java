package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sweep for a run's leftovers reads the environment only of processes that started with the
 * run's first process or after it: an older process cannot be the run's, whatever it carries.
 */
class LeftoversTest {
  private static Process tagged(String id) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("sleep", "30");
    builder.environment().put("STEPGUARD_EXECUTION_ID", id);
    return builder.start();
  }

  @Test
  void findsTaggedProcessesStartedSinceTheRunsFirstAndOnlyThose() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] tag = ("STEPGUARD_EXECUTION_ID=" + id + "\0").getBytes(StandardCharsets.UTF_8);
    Process older = tagged(id);
    Process newer = null;
    try {
      long olderTicks = ProcessIdentities.startTicks(older.pid()).orElseThrow();
      // Start ticks count in 1/100 s here: wait until a later tick has begun.
      long newerTicks;
      do {
        if (newer != null) {
          newer.destroyForcibly().waitFor();
        }
        Thread.sleep(15);
        newer = tagged(id);
        newerTicks = ProcessIdentities.startTicks(newer.pid()).orElseThrow();
      } while (newerTicks <= olderTicks);

      List<Long> sinceNewer =
          Leftovers.find(new HashSet<>(), tag, newerTicks).stream()
              .map(Leftovers.Found::pid)
              .toList();
      List<Long> all =
          Leftovers.find(new HashSet<>(), tag, 0).stream().map(Leftovers.Found::pid).toList();

      assertThat(sinceNewer).containsExactly(newer.pid());
      assertThat(all).containsExactlyInAnyOrder(older.pid(), newer.pid());
    } finally {
      older.destroyForcibly().waitFor();
      if (newer != null) {
        newer.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void killsTheTaggedProcessesOfTheRunButNotAnOlderOneThatCarriesItsId() throws Exception {
    String id = UUID.randomUUID().toString();
    Process older = tagged(id);
    try {
      long olderTicks = ProcessIdentities.startTicks(older.pid()).orElseThrow();
      Process newer = tagged(id);

      Leftovers.kill(new HashSet<>(), id, olderTicks + 1_000_000);
      assertThat(older.isAlive()).isTrue();
      assertThat(newer.isAlive()).isTrue();

      Leftovers.kill(new HashSet<>(), id, olderTicks);
      assertThat(newer.waitFor()).isNotZero();
      assertThat(older.waitFor()).isNotZero();
    } finally {
      older.destroyForcibly().waitFor();
    }
  }

  /**
   * While a process is in the midst of execve, between the switch to its new memory and the copy of
   * its environment into it, /proc shows it no environment. A leftover that execs as its run ends
   * was missed by the sweep at that moment (CI: a double-forked daemon exec'ing {@code sleep}
   * outlived its run). A Python parent that carries the tag forks children that exec at once, and
   * tells each child's pid as it forks it: every child is found to carry the tag.
   */
  @Test
  void findsTheTagOfAProcessInTheMidstOfExec() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] tag = ("STEPGUARD_EXECUTION_ID=" + id + "\0").getBytes(StandardCharsets.UTF_8);
    ProcessBuilder builder =
        new ProcessBuilder(
            "python3",
            "-I",
            "-c",
            "import os, sys\n"
                + "for _ in range(300):\n"
                + "    pid = os.fork()\n"
                + "    if pid == 0:\n"
                + "        os.execv('/bin/sleep', ['sleep', '30'])\n"
                + "    print(pid, flush=True)\n"
                + "    sys.stdin.readline()\n"
                + "    os.kill(pid, 9)\n"
                + "    os.waitpid(pid, 0)\n");
    builder.environment().put("STEPGUARD_EXECUTION_ID", id);
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process parent = builder.start();
    int missed = 0;
    try (BufferedReader pids =
            new BufferedReader(
                new InputStreamReader(parent.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream next = parent.getOutputStream()) {
      for (String pid = pids.readLine(); pid != null; pid = pids.readLine()) {
        if (!Leftovers.carries(Path.of("/proc", pid), tag, System.nanoTime() + 250_000_000L)) {
          missed++;
        }
        next.write('\n');
        next.flush();
      }
    } finally {
      parent.destroyForcibly().waitFor();
    }
    assertThat(missed).as("children whose tag was missed").isZero();
  }

  @Test
  void findsTheTagOfAProcessPastTheFirstReadOfALargeEnvironment() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] tag = ("STEPGUARD_EXECUTION_ID=" + id + "\0").getBytes(StandardCharsets.UTF_8);
    // env -i sets the variables in this order: the tag comes after 64 KiB of another one.
    Process large =
        new ProcessBuilder(
                "env",
                "-i",
                "PADDING=" + "x".repeat(64 * 1024),
                "STEPGUARD_EXECUTION_ID=" + id,
                "sleep",
                "30")
            .start();
    try {
      long ticks = ProcessIdentities.startTicks(large.pid()).orElseThrow();
      Path command = Path.of("/proc", Long.toString(large.pid()), "comm");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Files.readString(command).strip().equals("sleep") && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }

      assertThat(Leftovers.find(new HashSet<>(), tag, ticks))
          .extracting(Leftovers.Found::pid)
          .containsExactly(large.pid());
    } finally {
      large.destroyForcibly().waitFor();
    }
  }

  @Test
  void doesNotTakeAProcessStartedWithoutAnEnvironmentForTheRuns() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] tag = ("STEPGUARD_EXECUTION_ID=" + id + "\0").getBytes(StandardCharsets.UTF_8);
    ProcessBuilder builder = new ProcessBuilder("sleep", "30");
    builder.environment().clear();
    Process bare = builder.start();
    try {
      long ticks = ProcessIdentities.startTicks(bare.pid()).orElseThrow();

      assertThat(Leftovers.find(new HashSet<>(), tag, ticks)).isEmpty();
      assertThat(bare.isAlive()).isTrue();
    } finally {
      bare.destroyForcibly().waitFor();
    }
  }
}
