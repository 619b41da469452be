package dev.stepguard.adapters.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the processes a run left behind once its main process is gone, however it went (it exited,
 * exec'd another program that exited, was killed by a signal or on timeout): members of the
 * sessions started inside the run (the bootstrap's, inside bwrap too), and processes that still
 * carry the run's {@code STEPGUARD_EXECUTION_ID}, daemons that left the session included.
 *
 * <p>Without a pidfd (out of reach from Java 17 without native code) a signal goes by pid. Each
 * leftover is found with its start ticks and signalled only through a {@link ProcessHandle} whose
 * process still has those ticks: the JDK checks the handle's start time again inside {@code
 * destroyForcibly}, so a pid that was reused is skipped; what remains is the microseconds between
 * that check and kill(2), in which the pid would have to die and the kernel hand it out again. A
 * session id is never reused while any member lives, so session membership is a safe mark.
 */
final class Leftovers {
  private static final Path PROC = Path.of("/proc");
  private static final int MAX_ROUNDS = 50;

  /** How long one look over /proc waits, in all, for processes that show no environment yet. */
  private static final long EXEC_WAIT_NANOS = 250_000_000L;

  private static final long EXEC_POLL_NANOS = 200_000L;
  private static final int ENVIRON_READ = 32 * 1024;

  private Leftovers() {}

  /** A process found at one moment: its pid and start ticks then. */
  record Found(long pid, long startTicks) {}

  /**
   * The sessions led by {@code root} or by one of its descendants, for the members of which the
   * sweep looks. A session that only contains the tree (stepguard's own, a terminal's) is never
   * among them: bwrap is not a session leader, the script inside is.
   */
  static Set<Long> sessionsUnder(ProcessHandle root) {
    Set<Long> tree =
        Stream.concat(Stream.of(root), root.descendants())
            .map(ProcessHandle::pid)
            .collect(Collectors.toSet());
    Set<Long> sessions = new HashSet<>();
    for (long pid : tree) {
      OptionalLong session = ProcessIdentities.sessionOf(pid);
      if (session.isPresent() && tree.contains(session.getAsLong())) {
        sessions.add(session.getAsLong());
      }
    }
    return sessions;
  }

  /**
   * SIGKILLs every leftover of the run until none is found. A session led by a process that carries
   * the run's id joins {@code sessions}, so members that dropped the id are found too. Only
   * processes that started at or after {@code notBefore} (start ticks, as {@code /proc/PID/stat}
   * gives them) can carry it: the run's first process started then, and every other is its
   * descendant. Their environments alone are read (0: every process's).
   */
  static void kill(Set<Long> sessions, String executionId, long notBefore) {
    byte[] tag = ("STEPGUARD_EXECUTION_ID=" + executionId + "\0").getBytes(StandardCharsets.UTF_8);
    Set<Long> known = new HashSet<>(sessions);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      List<Found> found = find(known, tag, notBefore);
      if (found.isEmpty()) {
        return;
      }
      found.forEach(Leftovers::killIfStill);
    }
  }

  private static void killIfStill(Found process) {
    ProcessHandle.of(process.pid())
        .filter(
            handle -> {
              OptionalLong ticks = ProcessIdentities.startTicks(process.pid());
              return ticks.isPresent() && ticks.getAsLong() == process.startTicks();
            })
        .ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * The leftovers now, of processes started at or after {@code notBefore} for the tag; adds the
   * sessions that tagged session leaders lead to {@code sessions}.
   */
  static List<Found> find(Set<Long> sessions, byte[] tag, long notBefore) {
    List<Found> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    long deadline = System.nanoTime() + EXEC_WAIT_NANOS;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        long pid = Long.parseLong(String.valueOf(entry.getFileName()));
        // One read of its stat for both: this runs over every process after every run.
        Optional<ProcessIdentities.Started> started =
            pid == self ? Optional.empty() : ProcessIdentities.started(pid);
        if (started.isEmpty()) {
          continue;
        }
        long session = started.get().session();
        boolean tagged = started.get().startTicks() >= notBefore && carries(entry, tag, deadline);
        if (tagged && session == pid) {
          sessions.add(pid);
        }
        if (tagged || sessions.contains(session)) {
          found.add(new Found(pid, started.get().startTicks()));
        }
      }
    } catch (IOException e) {
      return found;
    }
    return found;
  }

  /**
   * Whether the environment of {@code process} holds {@code tag}. A process in the midst of execve
   * shows an empty one for a moment (the kernel has switched it to its new memory and not yet
   * copied its arguments and environment there, and may be preempted while it copies), and a read
   * that began in the old memory ends early when the old memory goes: a leftover that execs as its
   * run ends would be missed. So a user process whose environment reads empty or unterminated is
   * read again until it reads whole or {@code deadline} passes (a process started with none, {@code
   * env -i}, costs the sweep that wait). One whose environment cannot be read at all (another
   * user's) is not the run's.
   */
  static boolean carries(Path process, byte[] tag, long deadline) {
    long pid = Long.parseLong(String.valueOf(process.getFileName()));
    while (true) {
      byte[] environ = environOfAnyThread(process, pid);
      if (environ == null) {
        return false;
      }
      if (environ.length > 0 && environ[environ.length - 1] == 0) {
        return indexOf(environ, tag) >= 0;
      }
      if (!ProcessIdentities.runsUserCode(pid) || System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(EXEC_POLL_NANOS);
    }
  }

  /**
   * The environment of {@code process}, or null if it cannot be read. One whose first thread exited
   * shows none under its pid: it is read through one of its other threads.
   */
  private static byte[] environOfAnyThread(Path process, long pid) {
    byte[] own = environ(process);
    if (own != null && own.length > 0) {
      return own;
    }
    for (Path thread : ProcessIdentities.otherThreads(pid)) {
      byte[] environ = environ(thread);
      if (environ != null && environ.length > 0) {
        return environ;
      }
    }
    return own;
  }

  /**
   * The environment of {@code process} as one read(2) shows it where it fits {@link #ENVIRON_READ}:
   * each read takes its bounds anew, so reads in pieces can straddle an exec.
   */
  private static byte[] environ(Path process) {
    try (InputStream in = Files.newInputStream(process.resolve("environ"))) {
      byte[] first = new byte[ENVIRON_READ];
      int read = Math.max(0, in.read(first));
      if (read < first.length) {
        return Arrays.copyOf(first, read);
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream(2 * ENVIRON_READ);
      all.write(first);
      in.transferTo(all);
      return all.toByteArray();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (i > 0 && haystack[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
