package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ProcessIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Identities of live processes: host name, pid, the kernel's boot id and the start time in clock
 * ticks since boot (field 22 of {@code /proc/PID/stat}), which no step of the wall clock moves. The
 * wall-clock start is kept for people to read only.
 */
final class ProcessIdentities {
  static final String HOST = hostName();
  static final String BOOT_ID = bootId();
  private static final int STARTTIME = 19;
  private static final int SESSION = 3;
  private static final int FLAGS = 6;
  private static final long PF_EXITING = 0x4;
  private static final long PF_KTHREAD = 0x0020_0000;

  private ProcessIdentities() {}

  /** The identity of {@code process}, if it is still running and /proc shows its start ticks. */
  static Optional<ProcessIdentity> of(ProcessHandle process) {
    OptionalLong ticks = startTicks(process.pid());
    if (ticks.isEmpty() || BOOT_ID.isEmpty() || !process.isAlive()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProcessIdentity(
            HOST,
            process.pid(),
            process.info().startInstant().orElse(Instant.EPOCH),
            BOOT_ID,
            ticks.getAsLong()));
  }

  /**
   * The live process that is certainly {@code identity}: same host, pid, boot id and start ticks.
   * Empty for an identity without boot id and start ticks: nothing is ever done to a pid on doubt.
   */
  static Optional<ProcessHandle> find(ProcessIdentity identity) {
    if (!identity.hasKernelMarks() || !HOST.equals(identity.host())) {
      return Optional.empty();
    }
    return ProcessHandle.of(identity.pid())
        .filter(handle -> of(handle).map(identity::isCertainly).orElse(false));
  }

  /** The start ticks of {@code pid} as /proc shows them now, if it is running. */
  static OptionalLong startTicks(long pid) {
    return statField(pid, STARTTIME);
  }

  /** The session id of {@code pid} as /proc shows them now, if it is running. */
  static OptionalLong sessionOf(long pid) {
    return statField(pid, SESSION);
  }

  /** A running process's session id and start ticks, read together. */
  record Started(long session, long startTicks) {}

  /** The session and start ticks of {@code pid} from one read of /proc, if it is running. */
  static Optional<Started> started(long pid) {
    String[] fields = statFields(pid);
    try {
      return fields == null
          ? Optional.empty()
          : Optional.of(
              new Started(Long.parseLong(fields[SESSION]), Long.parseLong(fields[STARTTIME])));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The state letter of {@code pid} in {@code /proc} ({@code R}, {@code S}, {@code T} stopped,
   * {@code Z} zombie...), or {@code X} when it is gone.
   */
  static char state(long pid) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException | RuntimeException e) {
      return 'X';
    }
  }

  /**
   * Whether {@code pid} is a user process that runs: neither a kernel thread (which shows no
   * environment, ever) nor exiting (its memory may be gone) nor a zombie.
   */
  static boolean runsUserCode(long pid) {
    String[] fields = statFields(pid);
    try {
      return fields != null
          && !"Z".equals(fields[0])
          && (Long.parseLong(fields[FLAGS]) & (PF_EXITING | PF_KTHREAD)) == 0;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static OptionalLong statField(long pid, int index) {
    String[] fields = statFields(pid);
    try {
      return fields == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[index]));
    } catch (RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The fields of /proc/PID/stat after the command name, or null if gone or a zombie. A process
   * whose first thread exited while others run shows as a zombie too, but runs: it counts.
   */
  private static String[] statFields(long pid) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return "Z".equals(fields[0]) && otherThreads(pid).isEmpty() ? null : fields;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The threads of {@code pid} other than its first (whose id is the pid), as {@code /proc}
   * entries: a process whose first thread exited lives on in them.
   */
  static List<Path> otherThreads(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    String first = Long.toString(pid);
    try (Stream<Path> entries = Files.list(tasks)) {
      return entries.filter(task -> !first.equals(String.valueOf(task.getFileName()))).toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static String hostName() {
    try {
      String name =
          Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
      return name.isEmpty() ? "localhost" : name;
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static String bootId() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII)
          .strip();
    } catch (IOException e) {
      return "";
    }
  }
}
