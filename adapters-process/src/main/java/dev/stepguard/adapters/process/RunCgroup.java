package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ResourceCap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroups of one run (one per hierarchy: v1 memory and pids, or one v2 cgroup), which cap its
 * processes together: memory at the run's memory limit, tasks at its process limit. Made before the
 * script gets its input, removed after the run, with anything still in them killed first.
 */
final class RunCgroup implements AutoCloseable {
  static final String PREFIX = "stepguard-";

  private static final Logger LOG = LoggerFactory.getLogger(RunCgroup.class);
  private static final int MAX_ROUNDS = 200;
  private static final long REMOVE_WAIT_MS = 2000;
  private static final Path SWAPS = Path.of("/proc/swaps");
  private static final Set<RunCgroup> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> List.copyOf(OPEN).forEach(RunCgroup::close), "stepguard-cgroups"));
  }

  /** What the run's cgroups saw; {@code peakKib} is -1 where no cgroup counted memory. */
  record Reading(
      ResourceCap memoryCap, ResourceCap processCap, long peakKib, boolean outOfMemory) {}

  private final Path memory;
  private final boolean memoryUnified;
  private final Path pids;
  private final Set<Path> directories;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RunCgroup(Path memory, boolean memoryUnified, Path pids, Set<Path> directories) {
    this.memory = memory;
    this.memoryUnified = memoryUnified;
    this.pids = pids;
    this.directories = directories;
  }

  /**
   * Makes the run's cgroups where {@code host} allows; a controller whose cgroup cannot be made is
   * simply not capped for the run (its per-process limit applies instead).
   *
   * @param helpers processes of stepguard's own in the run (bubblewrap's), added to the task cap
   */
  static RunCgroup create(CgroupHost host, String runId, Limits limits, int helpers) {
    String name = PREFIX + runId;
    Set<Path> made = new LinkedHashSet<>();
    Path memory = host.memory().map(parent -> parent.directory().resolve(name)).orElse(null);
    boolean unified = host.memory().map(CgroupHost.Parent::unified).orElse(false);
    String bytes = Long.toString(limits.memoryBytes());
    if (memory != null
        && !make(made, memory, unified ? "memory.max" : "memory.limit_in_bytes", bytes)) {
      memory = null;
    }
    if (memory != null) {
      noSwapBeyond(memory, unified, bytes);
    }
    Path pids = host.pids().map(parent -> parent.directory().resolve(name)).orElse(null);
    String tasks = Long.toString(limits.processes() + helpers);
    if (pids != null && !make(made, pids, "pids.max", tasks)) {
      pids = null;
    }
    RunCgroup cgroup = new RunCgroup(memory, unified, pids, made);
    if (!made.isEmpty()) {
      OPEN.add(cgroup);
    }
    return cgroup;
  }

  /** Kills what is left in a run's cgroups and removes them, e.g. after stepguard was killed. */
  static void sweep(CgroupHost host, String runId) {
    Set<Path> left = new LinkedHashSet<>();
    Stream.of(host.memory(), host.pids())
        .flatMap(Optional::stream)
        .map(parent -> parent.directory().resolve(PREFIX + runId))
        .filter(Files::isDirectory)
        .forEach(left::add);
    new RunCgroup(null, false, null, left).close();
  }

  boolean capsMemory() {
    return memory != null;
  }

  boolean capsProcesses() {
    return pids != null;
  }

  /**
   * Moves {@code root} and all its descendants into the run's cgroups, round after round until a
   * round finds none that was not moved before it started: a process forks into its own cgroup, so
   * whatever the moved processes start from then on is born inside.
   */
  void enter(ProcessHandle root) throws IOException {
    if (directories.isEmpty()) {
      return;
    }
    Set<Long> moved = new HashSet<>();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<ProcessHandle> now = Stream.concat(Stream.of(root), root.descendants()).toList();
      boolean fresh = false;
      for (ProcessHandle process : now) {
        if (moved.add(process.pid())) {
          fresh = true;
          move(process);
        }
      }
      if (!fresh) {
        return;
      }
    }
    throw new IOException("the run's processes kept multiplying while they were moved");
  }

  /** What the cgroups saw, with {@code uncapped} as the process cap where no pids cgroup held. */
  Reading read(ResourceCap uncapped) {
    long peak = -1;
    boolean outOfMemory = false;
    if (memory != null) {
      peak = number(memory, memoryUnified ? "memory.peak" : "memory.max_usage_in_bytes", null);
      peak = peak < 0 ? -1 : peak / 1024;
      outOfMemory =
          number(memory, memoryUnified ? "memory.events" : "memory.oom_control", "oom_kill") > 0;
    }
    return new Reading(
        memory != null ? ResourceCap.RUN : ResourceCap.PROCESS,
        pids != null ? ResourceCap.RUN : uncapped,
        peak,
        outOfMemory);
  }

  /**
   * SIGKILLs every process in the run's cgroups until none is left: whatever the script started, in
   * whichever session or process group, with whatever environment, is a member.
   */
  void killMembers() {
    directories.forEach(RunCgroup::killMembers);
  }

  /** Kills every process still in the run's cgroups, then removes them. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    OPEN.remove(this);
    for (Path directory : directories) {
      long deadline = System.nanoTime() + REMOVE_WAIT_MS * 1_000_000;
      while (true) {
        killMembers(directory);
        try {
          Files.deleteIfExists(directory);
          break;
        } catch (IOException e) {
          if (System.nanoTime() > deadline) {
            LOG.warn("could not remove the run's cgroup {}: {}", directory, e.toString());
            break;
          }
          LockSupport.parkNanos(10_000_000);
        }
      }
    }
  }

  private void move(ProcessHandle process) throws IOException {
    for (Path directory : directories) {
      try {
        Files.writeString(directory.resolve("cgroup.procs"), Long.toString(process.pid()));
      } catch (IOException e) {
        if (process.isAlive()) {
          throw e;
        }
      }
    }
  }

  private static void killMembers(Path directory) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<ProcessHandle> members = members(directory);
      if (members.isEmpty()) {
        return;
      }
      members.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static List<ProcessHandle> members(Path directory) {
    List<ProcessHandle> members = new ArrayList<>();
    try {
      for (String pid : Files.readAllLines(directory.resolve("cgroup.procs"))) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(members::add);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return members;
    }
    return members;
  }

  /**
   * Makes {@code directory} (or uses it if made) with {@code file} set; false, and none, if not.
   */
  private static boolean make(Set<Path> made, Path directory, String file, String value) {
    boolean fresh = !made.contains(directory);
    try {
      if (fresh) {
        Files.createDirectory(directory);
        made.add(directory);
      }
      Files.writeString(directory.resolve(file), value);
      return true;
    } catch (IOException e) {
      LOG.debug("no run cgroup at {}: {}", directory, e.toString());
      if (fresh && made.remove(directory)) {
        try {
          Files.deleteIfExists(directory);
        } catch (IOException ignored) {
          LOG.warn("could not remove the run's cgroup {}: {}", directory, ignored.toString());
        }
      }
      return false;
    }
  }

  /** No swap beyond the memory limit, where the host has swap and the cgroup counts it. */
  private static void noSwapBeyond(Path memory, boolean unified, String bytes) {
    Path file = memory.resolve(unified ? "memory.swap.max" : "memory.memsw.limit_in_bytes");
    try {
      if (Files.exists(file) && Files.readAllLines(SWAPS).size() > 1) {
        Files.writeString(file, unified ? "0" : bytes);
      }
    } catch (IOException e) {
      LOG.debug("the run's swap is not capped: {}", e.toString());
    }
  }

  /**
   * A number from {@code file}: its whole content, or the value on the line starting {@code key}.
   */
  private static long number(Path directory, String file, String key) {
    try {
      for (String line : Files.readAllLines(directory.resolve(file), StandardCharsets.US_ASCII)) {
        String[] fields = line.strip().split("\\s+");
        if (key == null && fields.length == 1) {
          return Long.parseLong(fields[0]);
        }
        if (key != null && fields.length == 2 && key.equals(fields[0])) {
          return Long.parseLong(fields[1]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
