package dev.stepguard.adapters.process;

import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.HealthCheck;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds bubblewrap and checks once that it can make the namespaces the sandbox needs on this host
 * (a kernel or container may forbid them even where the binary is installed).
 */
final class Bubblewrap implements HealthCheck {
  static final String INSTALL_HINT =
      "Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow user namespaces,"
          + " or choose --isolation process to run without a sandbox.";
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  /** How long the output may go on after the process ended (a child of it may hold the pipe). */
  private static final Duration OUTPUT_AFTER_EXIT = Duration.ofSeconds(1);

  /** What was found: a working bwrap with its version, or why there is none. */
  sealed interface Probe {
    record Works(Path executable, String version) implements Probe {}

    record Broken(String reason) implements Probe {}
  }

  private final String searchPath;
  private final Duration probeTimeout;
  private volatile Probe probe;

  Bubblewrap(String searchPath) {
    this(searchPath, PROBE_TIMEOUT);
  }

  /** A probe that waits at most {@code probeTimeout} for each trial command. */
  Bubblewrap(String searchPath, Duration probeTimeout) {
    this.searchPath = searchPath == null ? "" : searchPath;
    this.probeTimeout = Objects.requireNonNull(probeTimeout, "probeTimeout");
  }

  Probe probe() {
    Probe found = probe;
    if (found == null) {
      synchronized (this) {
        found = probe;
        if (found == null) {
          found = check(searchPath, probeTimeout);
          probe = found;
        }
      }
    }
    return found;
  }

  @Override
  public HealthReport check() {
    Probe found = probe();
    if (found instanceof Probe.Works) {
      Probe.Works works = (Probe.Works) found;
      return new HealthReport(
          "sandbox", true, works.version() + " at " + works.executable() + " works", "");
    }
    return new HealthReport("sandbox", false, ((Probe.Broken) found).reason(), INSTALL_HINT);
  }

  private static Probe check(String searchPath, Duration timeout) {
    Optional<Path> bwrap = find(searchPath);
    if (bwrap.isEmpty()) {
      return new Probe.Broken("bwrap was not found on the PATH");
    }
    try {
      String version = run(List.of(bwrap.get().toString(), "--version"), timeout);
      String trial =
          run(
              List.of(
                  bwrap.get().toString(),
                  "--unshare-pid",
                  "--unshare-net",
                  "--unshare-ipc",
                  "--unshare-uts",
                  "--die-with-parent",
                  "--ro-bind",
                  "/",
                  "/",
                  "--proc",
                  "/proc",
                  "--dev",
                  "/dev",
                  "/bin/echo",
                  "ok"),
              timeout);
      if (!trial.equals("ok")) {
        return new Probe.Broken(bwrap.get() + " cannot create namespaces here: " + trial);
      }
      return new Probe.Works(bwrap.get(), version);
    } catch (IOException e) {
      return new Probe.Broken(bwrap.get() + " could not be run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe.Broken("interrupted while trying " + bwrap.get());
    }
  }

  /**
   * bwrap on the PATH; relative entries are skipped, they would depend on the working directory.
   */
  private static Optional<Path> find(String searchPath) {
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (directory.startsWith("/")) {
        Path path = Path.of(directory, "bwrap");
        if (Files.isRegularFile(path) && Files.isExecutable(path)) {
          return Optional.of(path);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Runs a short command and returns its output, stdout and stderr together, stripped, waiting at
   * most {@code timeout}: the output is read on another thread, so a command that hangs, or leaves
   * a child holding its output open, cannot hold the caller.
   */
  private static String run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    FutureTask<byte[]> output = new FutureTask<>(() -> process.getInputStream().readNBytes(4096));
    Thread reader = new Thread(output, "stepguard-bwrap-probe");
    reader.setDaemon(true);
    reader.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      return "no answer within " + timeout.toMillis() + " ms";
    }
    try {
      return new String(
              output.get(OUTPUT_AFTER_EXIT.toMillis(), TimeUnit.MILLISECONDS),
              StandardCharsets.UTF_8)
          .strip();
    } catch (TimeoutException e) {
      return "its output did not end when it exited (a process it left holds it open)";
    } catch (ExecutionException e) {
      throw new IOException("its output could not be read", e.getCause());
    }
  }
}
