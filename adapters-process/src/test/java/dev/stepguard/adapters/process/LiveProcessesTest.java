package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing watched outlives the stop, not even what is handed over after the stop began. */
class LiveProcessesTest {
  @TempDir Path temp;

  private static Process sleeper() throws Exception {
    return new ProcessBuilder("sleep", "30").start();
  }

  @Test
  void stopKillsEveryWatchedProcess() throws Exception {
    LiveProcesses live = new LiveProcesses();
    Process watched = sleeper();
    Process forgotten = sleeper();
    try {
      live.add(watched.toHandle());
      live.add(forgotten.toHandle());
      live.remove(forgotten.toHandle());

      live.stop();

      assertThat(watched.waitFor(5, TimeUnit.SECONDS)).as("the watched sleeper ended").isTrue();
      assertThat(forgotten.isAlive()).as("a forgotten process is not the registry's").isTrue();
    } finally {
      watched.destroyForcibly();
      forgotten.destroyForcibly();
    }
  }

  @Test
  void startsAndWatchesUntilTheStopThenStartsNothing() throws Exception {
    LiveProcesses live = new LiveProcesses();
    Process started = live.startWatched(new ProcessBuilder("sleep", "30"));
    Path marker = temp.resolve("started");
    try {
      live.stop();

      assertThat(started.waitFor(5, TimeUnit.SECONDS)).as("the started sleeper ended").isTrue();
      assertThatThrownBy(
              () -> live.startWatched(new ProcessBuilder("touch", marker.toString())).waitFor())
          .isInstanceOf(IOException.class)
          .hasMessage("stepguard is stopping");
      assertThat(marker).doesNotExist();
    } finally {
      started.destroyForcibly();
    }
  }

  @Test
  void aProcessHandedOverAfterTheStopBeganIsKilledAtOnce() throws Exception {
    LiveProcesses live = new LiveProcesses();
    live.stop();
    Process late = sleeper();
    try {
      live.add(late.toHandle());

      assertThat(late.waitFor(5, TimeUnit.SECONDS)).as("the late sleeper ended").isTrue();
    } finally {
      late.destroyForcibly();
    }
  }
}
