package dev.stepguard.adapters.process;

import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.ResourceCap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroups of one run (one per hierarchy: v1 memory and pids, or one v2 cgroup), which cap its
 * processes together: memory at the run's memory limit, tasks at its process limit. Made before the
 * script gets its input, removed after the run, with anything still in them killed first.
 *
 * <p>Moving a process into a cgroup is slow (tens of milliseconds on cgroup v1, where each move
 * waits for the kernel to quiesce every CPU), so a process started ahead of its run (a warm
 * interpreter) is moved into {@link #spare} cgroups of its own ahead too, without limits; they
 * become the run's cgroups when it takes a run ({@link #adopt}): renamed, then limited, before the
 * script gets its input.
 */
final class RunCgroup implements AutoCloseable {
  static final String PREFIX = "stepguard-";

  private static final Logger LOG = LoggerFactory.getLogger(RunCgroup.class);
  private static final int MAX_ROUNDS = 200;
  private static final long REMOVE_WAIT_MS = 2000;
  private static final Path SWAPS = Path.of("/proc/swaps");
  private static final Set<RunCgroup> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicLong SPARES = new AtomicLong();
  private static final String SPARE = "warm-";
  private static final Pattern SPARE_NAME =
      Pattern.compile(Pattern.quote(PREFIX + SPARE) + "([0-9]{1,18})-[0-9]+");

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
  private final Set<Long> entered;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RunCgroup(
      Path memory, boolean memoryUnified, Path pids, Set<Path> directories, Set<Long> entered) {
    this.memory = memory;
    this.memoryUnified = memoryUnified;
    this.pids = pids;
    this.directories = directories;
    this.entered = entered;
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
    return opened(new RunCgroup(memory, unified, pids, made, Set.of()));
  }

  /** Spare cgroups for {@code process} (see below), named uniquely on this host. */
  static RunCgroup spare(CgroupHost host, ProcessHandle process) {
    String name = SPARE + ProcessHandle.current().pid() + "-" + SPARES.incrementAndGet();
    return spare(host, name, process);
  }

  /**
   * Kills what is left in the spare cgroups of stepguard processes that are gone (killed before
   * they could remove them) and removes them; those of a process that lives are not touched.
   */
  static void sweepSpares(CgroupHost host) {
    Set<Path> left = new LinkedHashSet<>();
    for (CgroupHost.Parent parent :
        Stream.of(host.memory(), host.pids()).flatMap(Optional::stream).toList()) {
      try (Stream<Path> entries = Files.list(parent.directory())) {
        entries.filter(RunCgroup::ofAGoneProcess).forEach(left::add);
      } catch (IOException e) {
        LOG.debug("could not look for spare cgroups left behind: {}", e.toString());
      }
    }
    new RunCgroup(null, false, null, left, Set.of()).close();
  }

  private static boolean ofAGoneProcess(Path directory) {
    Matcher spare = SPARE_NAME.matcher(directory.getFileName().toString());
    try {
      return spare.matches()
          && Files.isDirectory(directory)
          && ProcessHandle.of(Long.parseLong(spare.group(1))).isEmpty();
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * Makes cgroups named {@code name} (unique, and no secret: anyone may list cgroups) where {@code
   * host} allows, without limits, and moves {@code process} and its descendants into them: a warm
   * process waiting for its run. Close them unless a run {@link #adopt}s them.
   */
  static RunCgroup spare(CgroupHost host, String name, ProcessHandle process) {
    Set<Path> made = new LinkedHashSet<>();
    Path memory =
        host.memory().map(parent -> parent.directory().resolve(PREFIX + name)).orElse(null);
    boolean unified = host.memory().map(CgroupHost.Parent::unified).orElse(false);
    if (memory != null && !make(made, memory, null, null)) {
      memory = null;
    }
    Path pids = host.pids().map(parent -> parent.directory().resolve(PREFIX + name)).orElse(null);
    if (pids != null && !make(made, pids, null, null)) {
      pids = null;
    }
    RunCgroup spare = opened(new RunCgroup(memory, unified, pids, made, Set.of()));
    try {
      spare.enter(process);
    } catch (IOException e) {
      LOG.debug("a warm process stays out of cgroups of its own: {}", e.toString());
      spare.close();
      return opened(new RunCgroup(null, false, null, Set.of(), Set.of()));
    }
    return spare;
  }

  /**
   * The cgroups of run {@code runId} made of {@code spare}'s (whose processes count as entered
   * already): renamed as {@link #create} names them and limited as it limits them. The spare is
   * then closed without touching them. Where a spare cgroup cannot be renamed, or the spare holds
   * no cgroup that {@link #create} would make, the run gets cgroups made by {@link #create}
   * instead, and the spare is left as it was, for its owner to close once the run is over.
   */
  static RunCgroup adopt(
      RunCgroup spare, CgroupHost host, String runId, Limits limits, int helpers) {
    boolean matches =
        (spare.memory != null) == host.memory().isPresent()
            && (spare.pids != null) == host.pids().isPresent()
            && !spare.directories.isEmpty();
    if (!matches || spare.closed.get()) {
      return create(host, runId, limits, helpers);
    }
    Set<Long> members = new HashSet<>();
    spare.directories.forEach(directory -> members.addAll(pids(directory)));
    spare.directories.forEach(directory -> members.retainAll(pids(directory)));
    Map<Path, Path> renamed = new LinkedHashMap<>();
    for (Path directory : spare.directories) {
      Path target = directory.resolveSibling(PREFIX + runId);
      try {
        Files.move(directory, target);
        renamed.put(target, directory);
      } catch (IOException e) {
        LOG.debug("a spare cgroup could not become the run's: {}", e.toString());
        renamed.forEach(RunCgroup::moveBack);
        return create(host, runId, limits, helpers);
      }
    }
    spare.closed.set(true);
    OPEN.remove(spare);
    Path memory = spare.memory == null ? null : spare.memory.resolveSibling(PREFIX + runId);
    Path pids = spare.pids == null ? null : spare.pids.resolveSibling(PREFIX + runId);
    String bytes = Long.toString(limits.memoryBytes());
    if (memory != null
        && !limit(memory, spare.memoryUnified ? "memory.max" : "memory.limit_in_bytes", bytes)) {
      memory = null;
    }
    if (memory != null) {
      noSwapBeyond(memory, spare.memoryUnified, bytes);
    }
    if (pids != null && !limit(pids, "pids.max", Long.toString(limits.processes() + helpers))) {
      pids = null;
    }
    return opened(
        new RunCgroup(
            memory,
            spare.memoryUnified,
            pids,
            new LinkedHashSet<>(renamed.keySet()),
            Set.copyOf(members)));
  }

  private static RunCgroup opened(RunCgroup cgroup) {
    if (!cgroup.directories.isEmpty()) {
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
    new RunCgroup(null, false, null, left, Set.of()).close();
  }

  /**
   * Whether the run has a cgroup at all: then {@link #enter} put its first process in before the
   * script got its input, and every process it started since was born inside.
   */
  boolean holdsProcesses() {
    return !directories.isEmpty();
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
   * whatever the moved processes start from then on is born inside. {@code root} is moved first,
   * before any look for descendants: each look reads every process's {@code /proc} entry, and a
   * process that started none (a warm interpreter, a script's bootstrap) then costs one look.
   */
  void enter(ProcessHandle root) throws IOException {
    if (directories.isEmpty() || entered.contains(root.pid())) {
      // An adopted spare's member is in already, with all it started (born inside).
      return;
    }
    Set<Long> moved = new HashSet<>(entered);
    moved.add(root.pid());
    move(root);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<ProcessHandle> now = root.descendants().toList();
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
    pids(directory).forEach(pid -> ProcessHandle.of(pid).ifPresent(members::add));
    return members;
  }

  /** The process ids {@code directory}'s cgroup.procs lists; none if it cannot be read. */
  private static Set<Long> pids(Path directory) {
    Set<Long> pids = new LinkedHashSet<>();
    try {
      for (String pid : Files.readAllLines(directory.resolve("cgroup.procs"))) {
        if (!pid.isBlank()) {
          pids.add(Long.parseLong(pid.strip()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return pids;
    }
    return pids;
  }

  /** Renames a run's cgroup back to its spare name, where an adoption went only half way. */
  private static void moveBack(Path renamed, Path original) {
    try {
      Files.move(renamed, original);
    } catch (IOException e) {
      LOG.warn("could not rename the cgroup {} back: {}", renamed, e.toString());
    }
  }

  /** Writes a limit into an adopted cgroup; false if it did not take. */
  private static boolean limit(Path directory, String file, String value) {
    try {
      Files.writeString(directory.resolve(file), value);
      return true;
    } catch (IOException e) {
      LOG.debug("the run's cgroup {} is not limited: {}", directory, e.toString());
      return false;
    }
  }

  /**
   * Makes {@code directory} (or uses it if made) with {@code file} set (unless null); false, and
   * none, if not.
   */
  private static boolean make(Set<Path> made, Path directory, String file, String value) {
    boolean fresh = !made.contains(directory);
    try {
      if (fresh) {
        Files.createDirectory(directory);
        made.add(directory);
      }
      if (file != null) {
        Files.writeString(directory.resolve(file), value);
      }
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
