package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
}
