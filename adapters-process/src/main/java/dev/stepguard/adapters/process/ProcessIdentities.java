package dev.stepguard.adapters.process;

import dev.stepguard.core.model.ProcessIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Identities of live processes: host name, pid and the kernel's start time (from /proc). */
final class ProcessIdentities {
  static final String HOST = hostName();

  private ProcessIdentities() {}

  /** The identity of {@code process}, if it is still running. */
  static Optional<ProcessIdentity> of(ProcessHandle process) {
    return process
        .info()
        .startInstant()
        .filter(start -> process.isAlive())
        .map(start -> new ProcessIdentity(HOST, process.pid(), start));
  }

  /** The live process that is exactly {@code identity}: same host, pid and start time. */
  static Optional<ProcessHandle> find(ProcessIdentity identity) {
    if (!HOST.equals(identity.host())) {
      return Optional.empty();
    }
    return ProcessHandle.of(identity.pid())
        .filter(handle -> of(handle).map(identity::equals).orElse(false));
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

  static Instant startOf(ProcessHandle process) {
    return process.info().startInstant().orElse(Instant.EPOCH);
  }
}
