package dev.stepguard.adapters.process;

import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.HealthCheck;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds bubblewrap and checks once that it can make the namespaces the sandbox needs on this host
 * (a kernel or container may forbid them even where the binary is installed).
 */
final class Bubblewrap implements HealthCheck {
  static final String INSTALL_HINT =
      "Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow user namespaces,"
          + " or choose --isolation process to run without a sandbox.";
  private static final long PROBE_SECONDS = 10;

  /** What was found: a working bwrap with its version, or why there is none. */
  sealed interface Probe {
    record Works(Path executable, String version) implements Probe {}

    record Broken(String reason) implements Probe {}
  }

  private final String searchPath;
  private volatile Probe probe;

  Bubblewrap(String searchPath) {
    this.searchPath = searchPath == null ? "" : searchPath;
  }

  Probe probe() {
    Probe found = probe;
    if (found == null) {
      synchronized (this) {
        found = probe;
        if (found == null) {
          found = check(searchPath);
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

  private static Probe check(String searchPath) {
    Optional<Path> bwrap = find(searchPath);
    if (bwrap.isEmpty()) {
      return new Probe.Broken("bwrap was not found on the PATH");
    }
    try {
      String version = run(List.of(bwrap.get().toString(), "--version"));
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
                  "ok"));
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

  /** Runs a short command and returns its output, stdout and stderr together, stripped. */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getOutputStream().close();
    String output =
        new String(process.getInputStream().readNBytes(4096), StandardCharsets.UTF_8).strip();
    if (!process.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return "no answer within " + PROBE_SECONDS + " s";
    }
    return output;
  }
}
