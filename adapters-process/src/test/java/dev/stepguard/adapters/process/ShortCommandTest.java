package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short command ends within its timeout, gets its input, and leaves nothing running. */
class ShortCommandTest {
  /** A hang guard, not a benchmark. */
  private static final Duration GUARD = Duration.ofSeconds(10);

  @TempDir Path temp;

  private ShortCommand.Ending run(String script, byte[] stdin, Duration timeout) {
    ProcessBuilder builder =
        new ProcessBuilder(List.of("/bin/sh", "-c", script))
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    return assertTimeoutPreemptively(GUARD, () -> ShortCommand.run(builder, stdin, 100, timeout));
  }

  @Test
  void writesInputLargerThanThePipeHoldsAndCutsTheOutputAtItsBound() {
    byte[] input = new byte[1 << 20];
    Arrays.fill(input, (byte) 'a');

    ShortCommand.Ending ending = run("cat", input, Duration.ofSeconds(5));

    ShortCommand.Ending.Exited exited = (ShortCommand.Ending.Exited) ending;
    assertThat(exited.code()).isZero();
    assertThat(exited.output()).isEqualTo("a".repeat(100));
    assertThat(exited.truncated()).isTrue();
  }

  @Test
  void reportsTheExitStatusOfACommandThatReadsNothing() {
    ShortCommand.Ending ending = run("echo no; exit 3", null, Duration.ofSeconds(5));

    assertThat(ending).isEqualTo(new ShortCommand.Ending.Exited(3, "no\n", false));
    assertThat(ending.reason()).isEqualTo("exited with status 3");
  }

  @Test
  void namesATimeoutBelowASecondInMilliseconds() throws Exception {
    Path pids = temp.resolve("pids");

    ShortCommand.Ending ending =
        run("echo $$ >" + pids + "; exec sleep 600", null, Duration.ofMillis(500));

    assertThat(ending.reason()).isEqualTo("did not answer within 500 ms");
    assertThat(Leftover.stillRuns(Leftover.pids(pids).get(0))).isFalse();
  }

  @Test
  void killsADaemonThatLeftTheTreeAndItsOutput() throws Exception {
    Path pids = temp.resolve("pids");

    ShortCommand.Ending ending =
        run("sleep 600 >/dev/null 2>&1 </dev/null & echo $! >" + pids, null, Duration.ofSeconds(5));

    assertThat(ending).isInstanceOf(ShortCommand.Ending.Exited.class);
    assertThat(Leftover.stillRuns(Leftover.pids(pids).get(0))).isFalse();
  }
}
