package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ResourceCap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding where a run's cgroups may go, on cgroup v1, hybrid and v2 hosts laid out in a temporary
 * directory, and what a run records where none can be made.
 */
class CgroupHostTest {
  @TempDir Path temp;

  /** A writable cgroup directory at {@code relative}, handing {@code controllers} down. */
  private Path cgroup(String relative, String controllers) throws Exception {
    Path directory = Files.createDirectories(temp.resolve(relative));
    Files.writeString(directory.resolve("cgroup.procs"), "");
    Files.writeString(directory.resolve("cgroup.subtree_control"), controllers + "\n");
    return directory;
  }

  private String mount(int id, String root, String point, String type, String options) {
    return id
        + " 23 0:"
        + id
        + " "
        + root
        + " "
        + temp.resolve(point)
        + " rw,relatime shared:9"
        + " - "
        + type
        + " "
        + type
        + " "
        + options;
  }

  @Test
  void findsItsOwnCgroupInTheV1MemoryAndPidsHierarchies() throws Exception {
    Path memory = cgroup("memory/jobs/mine", "");
    Path pids = cgroup("pids", "");

    CgroupHost host =
        CgroupHost.of(
            List.of("9:name=systemd:/", "8:pids:/", "4:memory:/jobs/mine", "0::/"),
            List.of(
                mount(35, "/", "memory", "cgroup", "rw,memory"),
                mount(39, "/", "pids", "cgroup", "rw,pids"),
                mount(41, "/", "unified", "cgroup2", "rw")));

    assertThat(host.memory()).contains(new CgroupHost.Parent(memory, false));
    assertThat(host.pids()).contains(new CgroupHost.Parent(pids, false));
  }

  @Test
  void takesAV2CgroupOnlyForControllersItsSubtreeControlHandsDown() throws Exception {
    Path mine = cgroup("v2/system.slice/stepguard.service", "memory cpu");

    CgroupHost host =
        CgroupHost.of(
            List.of("0::/system.slice/stepguard.service"),
            List.of(mount(30, "/", "v2", "cgroup2", "rw,nsdelegate")));

    assertThat(host.memory()).contains(new CgroupHost.Parent(mine, true));
    assertThat(host.pids()).isEmpty();
  }

  @Test
  void followsAMountOfASubtreeAndReadsEscapedMountPoints() throws Exception {
    Path mine = cgroup("with space/run", "");

    CgroupHost host =
        CgroupHost.of(
            List.of("4:memory:/container/run"),
            List.of(
                "35 23 0:35 /container "
                    + temp.resolve("with space").toString().replace(" ", "\\040")
                    + " rw - cgroup cgroup rw,memory"));

    assertThat(host.memory()).contains(new CgroupHost.Parent(mine, false));
  }

  @Test
  void takesTheMountPointItselfWhenItsCgroupIsTheMountedRoot() throws Exception {
    Path mine = cgroup("memory", "");

    CgroupHost host =
        CgroupHost.of(
            List.of("4:memory:/container"),
            List.of(mount(35, "/container", "memory", "cgroup", "rw,memory")));

    assertThat(host.memory()).contains(new CgroupHost.Parent(mine, false));
  }

  @Test
  void fallsBackToV1WhereTheV2CgroupShowsNoSubtreeControl() throws Exception {
    Path v2 = Files.createDirectories(temp.resolve("unified/mine"));
    Files.writeString(v2.resolve("cgroup.procs"), "");
    Path memory = cgroup("memory/mine", "");

    CgroupHost host =
        CgroupHost.of(
            List.of("4:memory:/mine", "0::/mine"),
            List.of(
                mount(35, "/", "memory", "cgroup", "rw,memory"),
                mount(41, "/", "unified", "cgroup2", "rw")));

    assertThat(host.memory()).contains(new CgroupHost.Parent(memory, false));
  }

  @Test
  void offersNothingOutsideTheMountedSubtreeOrWithoutAMount() throws Exception {
    cgroup("memory/elsewhere", "");

    CgroupHost host =
        CgroupHost.of(
            List.of("4:memory:/elsewhere", "8:pids:/", "garbage", "0::/../escape"),
            List.of(
                mount(35, "/container", "memory", "cgroup", "rw,memory"),
                mount(41, "/", "v2", "cgroup2", "rw"),
                "36 23 0:36 / " + temp.resolve("memory") + " - cgroup cgroup",
                "no separator here"));

    assertThat(host).isEqualTo(CgroupHost.NONE);
  }

  @Test
  void recordsThePerProcessCapsWhereNoCgroupCanBeMade() throws Exception {
    try (RunCgroup cgroup = RunCgroup.create(CgroupHost.NONE, "x", Limits.defaults(1000), 0)) {
      cgroup.enter(ProcessHandle.current());

      assertThat(cgroup.capsMemory()).isFalse();
      assertThat(cgroup.capsProcesses()).isFalse();
      assertThat(cgroup.read(ResourceCap.USER))
          .isEqualTo(new RunCgroup.Reading(ResourceCap.PROCESS, ResourceCap.USER, -1, false));
    }
  }

  @Test
  void capsNothingWhereTheCgroupCannotBeMade() {
    Path missing = temp.resolve("gone");
    CgroupHost host =
        new CgroupHost(
            Optional.of(new CgroupHost.Parent(missing, false)),
            Optional.of(new CgroupHost.Parent(missing, true)));

    try (RunCgroup cgroup = RunCgroup.create(host, "x", Limits.defaults(1000), 2)) {
      assertThat(cgroup.capsMemory()).isFalse();
      assertThat(cgroup.capsProcesses()).isFalse();
    }
    assertThat(missing).doesNotExist();
  }

  @Test
  void sweepKillsWhatARunLeftInItsCgroupsAndRemovesThem() throws Exception {
    CgroupHost host = CgroupHost.current();
    assumeTrue(host.memory().isPresent() || host.pids().isPresent(), "no cgroup here: " + host);
    String id = UUID.randomUUID().toString();
    RunCgroup cgroup = RunCgroup.create(host, id, Limits.defaults(1000), 0);
    Process sleeper = new ProcessBuilder("sleep", "600").start();
    cgroup.enter(sleeper.toHandle());

    RunCgroup.sweep(host, id);

    assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(RunCapCases.cgroupsOf(List.of(id))).isEmpty();
    cgroup.close();
  }

  @Test
  void sweepsNothingWhenARunLeftNoCgroup() throws Exception {
    Path memory = cgroup("memory", "");

    RunCgroup.sweep(
        new CgroupHost(Optional.of(new CgroupHost.Parent(memory, false)), Optional.empty()),
        "no-such-run");

    assertThat(memory).isDirectory();
  }
}
