package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ExecutionId;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ResourceCap;
import dev.stepguard.core.model.ScriptPath;
import dev.stepguard.core.port.Launch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when a run's process cannot be moved into its cgroup (it never runs), how a warm
 * process's spare cgroups become its run's, and how a run's leftovers are found with cgroups and
 * without (here on plain directories standing in for a cgroup hierarchy).
 */
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

  @Test
  void aSpareCgroupHoldsItsProcessAndBecomesTheRunsCgroupRenamedAndLimited() throws Exception {
    CgroupHost host =
        new CgroupHost(Optional.of(new CgroupHost.Parent(temp, false)), Optional.empty());
    ExecutionId id = ExecutionId.random();
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      RunCgroup spare = RunCgroup.spare(host, "warm-test-1", sleeper.toHandle());
      Path spareDirectory = temp.resolve(RunCgroup.PREFIX + "warm-test-1");
      assertThat(spareDirectory.resolve("cgroup.procs")).hasContent(Long.toString(sleeper.pid()));

      RunCgroup adopted = RunCgroup.adopt(spare, host, id.value(), Limits.defaults(5000), 0);

      Path run = temp.resolve(RunCgroup.PREFIX + id.value());
      assertThat(spareDirectory).doesNotExist();
      assertThat(run.resolve("memory.limit_in_bytes")).hasContent("1073741824");
      assertThat(adopted.capsMemory()).isTrue();
      assertThat(adopted.capsProcesses()).isFalse();
      // Its process is a member already: entering it writes nothing (the move is slow).
      Files.writeString(run.resolve("cgroup.procs"), "untouched");
      adopted.enter(sleeper.toHandle());
      assertThat(run.resolve("cgroup.procs")).hasContent("untouched");
      spare.close();
      assertThat(run).isDirectory();
      clear(run);
      adopted.close();
      assertThat(run).doesNotExist();
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void aSpareThatDoesNotMatchTheHostIsLeftAndTheRunGetsNewCgroups() throws Exception {
    Path memory = Files.createDirectory(temp.resolve("memory"));
    Path pids = Files.createDirectory(temp.resolve("pids"));
    CgroupHost memoryOnly =
        new CgroupHost(Optional.of(new CgroupHost.Parent(memory, false)), Optional.empty());
    CgroupHost both =
        new CgroupHost(
            Optional.of(new CgroupHost.Parent(memory, false)),
            Optional.of(new CgroupHost.Parent(pids, false)));
    ExecutionId id = ExecutionId.random();
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      RunCgroup spare = RunCgroup.spare(memoryOnly, "warm-test-2", sleeper.toHandle());

      RunCgroup run = RunCgroup.adopt(spare, both, id.value(), Limits.defaults(5000), 0);

      assertThat(memory.resolve(RunCgroup.PREFIX + "warm-test-2")).isDirectory();
      assertThat(pids.resolve(RunCgroup.PREFIX + id.value()).resolve("pids.max")).exists();
      assertThat(run.capsMemory()).isTrue();
      assertThat(run.capsProcesses()).isTrue();
      closeEmptied(run, id.value(), memory, pids);
      closeEmptied(spare, "warm-test-2", memory);
      assertThat(memory).isEmptyDirectory();
      assertThat(pids).isEmptyDirectory();
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void aSpareOfAHostWithoutCgroupsHoldsNothingAndTheRunGetsNone() throws Exception {
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      RunCgroup spare = RunCgroup.spare(CgroupHost.NONE, "warm-test-3", sleeper.toHandle());

      RunCgroup run =
          RunCgroup.adopt(
              spare, CgroupHost.NONE, ExecutionId.random().value(), Limits.defaults(5000), 0);

      assertThat(run.capsMemory()).isFalse();
      assertThat(run.capsProcesses()).isFalse();
      assertThat(temp).isEmptyDirectory();
      run.close();
      spare.close();
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void aSpareThatCannotBeRenamedWhollyIsRenamedBackAndLeftToItsOwner() throws Exception {
    Path memory = Files.createDirectory(temp.resolve("memory"));
    Path pids = Files.createDirectory(temp.resolve("pids"));
    CgroupHost host =
        new CgroupHost(
            Optional.of(new CgroupHost.Parent(memory, false)),
            Optional.of(new CgroupHost.Parent(pids, false)));
    ExecutionId id = ExecutionId.random();
    // Something in the way of the pids rename: the memory one is undone.
    Path blocker =
        Files.createDirectories(pids.resolve(RunCgroup.PREFIX + id.value()).resolve("x"));
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      RunCgroup spare = RunCgroup.spare(host, "warm-test-4", sleeper.toHandle());

      RunCgroup run = RunCgroup.adopt(spare, host, id.value(), Limits.defaults(5000), 0);

      assertThat(memory.resolve(RunCgroup.PREFIX + "warm-test-4")).isDirectory();
      assertThat(pids.resolve(RunCgroup.PREFIX + "warm-test-4")).isDirectory();
      assertThat(memory.resolve(RunCgroup.PREFIX + id.value()).resolve("memory.limit_in_bytes"))
          .hasContent("1073741824");
      assertThat(run.capsMemory()).isTrue();
      assertThat(run.capsProcesses()).isFalse();
      closeEmptied(run, id.value(), memory);
      closeEmptied(spare, "warm-test-4", memory, pids);
      Files.delete(blocker);
      assertThat(memory).isEmptyDirectory();
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void anAdoptedSpareThatTakesNoLimitDoesNotCapThatController() throws Exception {
    Path memory = Files.createDirectory(temp.resolve("memory"));
    Path pids = Files.createDirectory(temp.resolve("pids"));
    CgroupHost host =
        new CgroupHost(
            Optional.of(new CgroupHost.Parent(memory, false)),
            Optional.of(new CgroupHost.Parent(pids, false)));
    ExecutionId id = ExecutionId.random();
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try {
      RunCgroup spare = RunCgroup.spare(host, "warm-test-5", sleeper.toHandle());
      // A limit file that cannot be written, in each hierarchy.
      Files.createDirectory(
          memory.resolve(RunCgroup.PREFIX + "warm-test-5").resolve("memory.limit_in_bytes"));
      Files.createDirectory(pids.resolve(RunCgroup.PREFIX + "warm-test-5").resolve("pids.max"));

      RunCgroup run = RunCgroup.adopt(spare, host, id.value(), Limits.defaults(5000), 0);

      assertThat(run.capsMemory()).isFalse();
      assertThat(run.capsProcesses()).isFalse();
      assertThat(run.holdsProcesses()).as("its process stays in the renamed cgroups").isTrue();
      assertThat(memory.resolve(RunCgroup.PREFIX + id.value())).isDirectory();
      closeEmptied(run, id.value(), memory, pids);
      assertThat(memory).isEmptyDirectory();
      assertThat(pids).isEmptyDirectory();
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void aSpareWhoseCgroupsCannotBeMadeHoldsNothing() throws Exception {
    Path missing = temp.resolve("gone");
    CgroupHost host =
        new CgroupHost(
            Optional.of(new CgroupHost.Parent(missing, false)),
            Optional.of(new CgroupHost.Parent(missing, false)));
    Process sleeper = new ProcessBuilder("sleep", "60").start();
    try (RunCgroup spare = RunCgroup.spare(host, "warm-test-6", sleeper.toHandle())) {
      assertThat(spare.holdsProcesses()).isFalse();
      assertThat(spare.capsMemory()).isFalse();
      assertThat(spare.capsProcesses()).isFalse();
      assertThat(missing).doesNotExist();
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void readsNoPeakAndNoOutOfMemoryWhereTheCgroupShowsNeither() throws Exception {
    CgroupHost host =
        new CgroupHost(Optional.of(new CgroupHost.Parent(temp, false)), Optional.empty());
    String id = ExecutionId.random().value();
    try (RunCgroup cgroup = RunCgroup.create(host, id, Limits.defaults(5000), 0)) {
      Path directory = temp.resolve(RunCgroup.PREFIX + id);
      Files.writeString(
          directory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\n");

      assertThat(cgroup.read(ResourceCap.USER))
          .isEqualTo(new RunCgroup.Reading(ResourceCap.RUN, ResourceCap.USER, -1, false));

      Files.writeString(directory.resolve("memory.max_usage_in_bytes"), "2048\n");
      Files.writeString(
          directory.resolve("memory.oom_control"), "oom_kill_disable 0\noom_kill 1\n");
      assertThat(cgroup.read(ResourceCap.USER))
          .isEqualTo(new RunCgroup.Reading(ResourceCap.RUN, ResourceCap.USER, 2, true));
      clear(directory);
    }
  }

  @Test
  void sweepsTheSparesOfOneHierarchyWhenTheOtherCannotBeListed() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path ofGone =
        Files.createDirectory(temp.resolve(RunCgroup.PREFIX + "warm-" + gone.pid() + "-1"));

    RunCgroup.sweepSpares(
        new CgroupHost(
            Optional.of(new CgroupHost.Parent(temp.resolve("gone"), false)),
            Optional.of(new CgroupHost.Parent(temp, false))));

    assertThat(ofGone).doesNotExist();
  }

  @Test
  void sparesOfAGoneProcessAreRemovedAndThoseOfALiveOneAreKept() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path ofGone =
        Files.createDirectory(temp.resolve(RunCgroup.PREFIX + "warm-" + gone.pid() + "-1"));
    long self = ProcessHandle.current().pid();
    Path ofLive = Files.createDirectory(temp.resolve(RunCgroup.PREFIX + "warm-" + self + "-1"));
    Path run = Files.createDirectory(temp.resolve(RunCgroup.PREFIX + ExecutionId.random().value()));
    Path odd = Files.createDirectory(temp.resolve(RunCgroup.PREFIX + "warm-x-1"));

    RunCgroup.sweepSpares(
        new CgroupHost(Optional.of(new CgroupHost.Parent(temp, false)), Optional.empty()));

    assertThat(ofGone).doesNotExist();
    assertThat(ofLive).isDirectory();
    assertThat(run).isDirectory();
    assertThat(odd).isDirectory();
  }

  @Test
  void theLeftoversOfARunWithCgroupsAreTheirMembersWithoutALookThroughProc() throws Exception {
    CgroupHost host =
        new CgroupHost(Optional.of(new CgroupHost.Parent(temp, false)), Optional.empty());
    String id = ExecutionId.random().value();
    Process member = new ProcessBuilder("sleep", "60").start();
    Process outside = tagged(id);
    try (RunCgroup cgroup = RunCgroup.create(host, id, Limits.defaults(5000), 0)) {
      Path directory = temp.resolve(RunCgroup.PREFIX + id);
      Files.writeString(directory.resolve("cgroup.procs"), Long.toString(member.pid()));

      ProcessRunner.endLeftovers(new HashSet<>(), id, 0, cgroup);

      assertThat(member.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(outside.isAlive()).isTrue();
      clear(directory);
    } finally {
      member.destroyForcibly().waitFor();
      outside.destroyForcibly().waitFor();
    }
  }

  @Test
  void theLeftoversOfARunWithoutCgroupsAreFoundByTheRunsId() throws Exception {
    CgroupHost none = new CgroupHost(Optional.empty(), Optional.empty());
    String id = ExecutionId.random().value();
    Process daemon = tagged(id);
    try (RunCgroup cgroup = RunCgroup.create(none, id, Limits.defaults(5000), 0)) {
      ProcessRunner.endLeftovers(new HashSet<>(), id, 0, cgroup);

      assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      daemon.destroyForcibly().waitFor();
    }
  }

  private static Process tagged(String id) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("sleep", "60");
    builder.environment().put("STEPGUARD_EXECUTION_ID", id);
    return builder.start();
  }

  /**
   * Closes {@code cgroup}, named {@code name} in each of {@code hierarchies}, once its stand-in
   * directories are emptied as the kernel empties a real cgroup's.
   */
  private static void closeEmptied(RunCgroup cgroup, String name, Path... hierarchies)
      throws Exception {
    for (Path hierarchy : hierarchies) {
      clear(hierarchy.resolve(RunCgroup.PREFIX + name));
    }
    cgroup.close();
  }

  /** Empties a stand-in cgroup directory, which the kernel would do for a real one. */
  private static void clear(Path directory) throws Exception {
    try (var files = Files.list(directory)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
  }
}
