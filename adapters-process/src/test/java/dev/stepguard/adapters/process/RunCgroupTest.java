package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.Launch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens when a run's process cannot be moved into its cgroup: it never runs. */
class RunCgroupTest {
  @TempDir Path temp;

  @Test
  void killsTheProcessUnrunWhenItCannotBeMovedIntoItsCgroup() throws Exception {
    CgroupHost host =
        new CgroupHost(Optional.of(new CgroupHost.Parent(temp, false)), Optional.empty());
    ExecutionId id = ExecutionId.random();
    Launch launch =
        new Launch(
            id,
            temp,
            new ScriptPath("a.py"),
            "{}".getBytes(StandardCharsets.UTF_8),
            Duration.ofSeconds(5),
            Duration.ofSeconds(1),
            Limits.defaults(5000),
            Map.of());
    try (RunCgroup cgroup = RunCgroup.create(host, id.value(), launch.limits(), 0)) {
      Path directory = temp.resolve(RunCgroup.PREFIX + id.value());
      assertThat(directory.resolve("memory.limit_in_bytes")).hasContent("1073741824");
      Files.createDirectory(directory.resolve("cgroup.procs"));
      Process sleeper = new ProcessBuilder("sleep", "60").start();

      Optional<String> refused = ProcessRunner.announce(sleeper, launch, cgroup);

      assertThat(refused).hasValueSatisfying(reason -> assertThat(reason).contains("cgroup"));
      assertThat(sleeper.isAlive()).isFalse();
      assertThat(cgroup.capsMemory()).isTrue();
    }
  }
}
