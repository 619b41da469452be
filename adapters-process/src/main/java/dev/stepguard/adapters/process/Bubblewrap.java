package dev.stepguard.adapters.process;

import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.port.HealthCheck;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds bubblewrap and checks once that it can make the namespaces the sandbox needs on this host
 * (a kernel or container may forbid them even where the binary is installed).
 */
final class Bubblewrap implements HealthCheck {
  static final String INSTALL_HINT =
      "Install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow user namespaces,"
          + " or choose --isolation process to run without a sandbox.";

  /** For a bwrap that did not answer in time, which an install does not mend. */
  static final String UNANSWERED_HINT =
      "bwrap may hang, or the machine may have been too busy to start it in time; it is asked"
          + " again 30 s later ('stepguard doctor' shows what it answers).";

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

  private static final int MAX_OUTPUT = 4096;

  /** What was found: a working bwrap with its version, or why there is none. */
  sealed interface Probe {
    record Works(Path executable, String version) implements Probe {}

    /** No working bwrap, and why. */
    sealed interface Failed extends Probe {
      String reason();
    }

    /** Why there is none; installing or mending bubblewrap helps. */
    record Broken(String reason) implements Failed {}

    /**
     * No answer that says anything lasting: bwrap did not answer in time (it may hang, or the
     * machine may be too busy to start it), could not be started (a fork that failed), was short of
     * processes, memory or namespaces for a moment, or the check was interrupted. Not a sandbox
     * that cannot run here: {@code auto} isolation does not fall back to process isolation for it,
     * and it is asked again as a broken one is.
     */
    record Unanswered(String reason) implements Failed {}
  }

  /**
   * How long a failed check stands before bwrap is asked again: long enough that the choice of
   * {@code auto} isolation and the launcher of one command share one answer, short enough that a
   * long-running server notices bubblewrap once someone installs or mends it.
   */
  private static final Duration BROKEN_STANDS_FOR = Duration.ofSeconds(30);

  /** An answer and when it was got ({@link System#nanoTime()}). */
  private record Found(Probe probe, long at) {}

  /**
   * What this process found, by search path and timeout: the choice of {@code auto} isolation and
   * the launcher ask the same question, and each answer can take the whole timeout. A working bwrap
   * is kept (a run that then finds it gone fails its launch and says why); a broken one only for
   * {@link #BROKEN_STANDS_FOR}.
   */
  private static final Map<String, Found> FOUND = new ConcurrentHashMap<>();

  private final String searchPath;
  private final Duration probeTimeout;
  private final Duration brokenStandsFor;

  Bubblewrap(String searchPath) {
    this(searchPath, PROBE_TIMEOUT, BROKEN_STANDS_FOR);
  }

  /**
   * The bwrap of runs of {@code projectRoot}: looked for on the host's PATH without the entries a
   * script or a commit could have written to (the project, its writable directories), so no file of
   * the project is ever run on the host as bwrap.
   */
  static Bubblewrap forProject(Path projectRoot, List<String> writable) {
    String path = System.getenv("PATH");
    return forProject(projectRoot, writable, path == null ? "" : path);
  }

  /** As {@link #forProject(Path, List)}, looking on {@code searchPath}. */
  static Bubblewrap forProject(Path projectRoot, List<String> writable, String searchPath) {
    return new Bubblewrap(new ScriptWritable(projectRoot, writable).trusted(searchPath));
  }

  /** A probe that waits at most {@code probeTimeout} for each trial command. */
  Bubblewrap(String searchPath, Duration probeTimeout) {
    this(searchPath, probeTimeout, BROKEN_STANDS_FOR);
  }

  /** A probe whose failed answer is asked again after {@code brokenStandsFor}. */
  Bubblewrap(String searchPath, Duration probeTimeout, Duration brokenStandsFor) {
    this.searchPath = searchPath == null ? "" : searchPath;
    this.probeTimeout = Objects.requireNonNull(probeTimeout, "probeTimeout");
    this.brokenStandsFor = Objects.requireNonNull(brokenStandsFor, "brokenStandsFor");
  }

  Probe probe() {
    return FOUND
        .compute(
            probeTimeout.toMillis() + ":" + searchPath,
            (key, found) ->
                found != null && stands(found)
                    ? found
                    : new Found(check(searchPath, probeTimeout), System.nanoTime()))
        .probe();
  }

  private boolean stands(Found found) {
    return found.probe() instanceof Probe.Works
        || System.nanoTime() - found.at() < brokenStandsFor.toNanos();
  }

  @Override
  public HealthReport check() {
    Probe found = probe();
    if (found instanceof Probe.Works works) {
      return new HealthReport(
          "sandbox", true, works.version() + " at " + works.executable() + " works", "");
    }
    Probe.Failed failed = (Probe.Failed) found;
    return new HealthReport("sandbox", false, failed.reason(), hint(failed));
  }

  /** Why a sandboxed run cannot start after {@code found}, which is not a working bwrap. */
  static String refusal(Probe found) {
    Probe.Failed failed = (Probe.Failed) found;
    return (failed instanceof Probe.Unanswered
            ? "sandbox isolation could not be checked: "
            : "sandbox isolation is not available: ")
        + failed.reason()
        + ". "
        + hint(failed);
  }

  /** What a person can do about {@code failed}. */
  private static String hint(Probe.Failed failed) {
    return failed instanceof Probe.Unanswered ? UNANSWERED_HINT : INSTALL_HINT;
  }

  /**
   * What bwrap says when the host is short of something for a moment (processes, memory, open
   * files, user namespaces) rather than forbidding namespaces.
   */
  private static final List<String> SHORT_OF =
      List.of(
          "Resource temporarily unavailable",
          "Cannot allocate memory",
          "No space left on device",
          "Too many open files");

  private static boolean shortOf(String said) {
    return SHORT_OF.stream().anyMatch(said::contains);
  }

  private static Probe check(String searchPath, Duration timeout) {
    Optional<Path> bwrap = find(searchPath);
    if (bwrap.isEmpty()) {
      return new Probe.Broken("bwrap was not found on the PATH");
    }
    String executable = bwrap.get().toString();
    // One deadline over both commands: the check as a whole waits at most its timeout.
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      ShortCommand.Ending version = run(List.of(executable, "--version"), timeout);
      if (!(version instanceof ShortCommand.Ending.Exited answered)) {
        return new Probe.Unanswered(executable + " " + version.reason());
      }
      ShortCommand.Ending trial =
          run(
              List.of(
                  executable,
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
              Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (!(trial instanceof ShortCommand.Ending.Exited exited)) {
        return new Probe.Unanswered(executable + " " + trial.reason());
      }
      String said = exited.output().strip();
      if (shortOf(said)) {
        return new Probe.Unanswered(executable + " was short of resources: " + said);
      }
      if (!said.equals("ok")) {
        return new Probe.Broken(executable + " cannot create namespaces here: " + said);
      }
      return new Probe.Works(bwrap.get(), answered.output().strip());
    } catch (IOException e) {
      // a fork that failed for want of processes or memory says nothing lasting about bubblewrap
      String reason = executable + " could not be run: " + e.getMessage();
      return shortOf(reason) ? new Probe.Unanswered(reason) : new Probe.Broken(reason);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Probe.Unanswered("interrupted while trying " + executable);
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

  /** Runs a short command, its stderr with its stdout, waiting at most {@code timeout}. */
  private static ShortCommand.Ending run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    return ShortCommand.run(
        new ProcessBuilder(command).redirectErrorStream(true), null, MAX_OUTPUT, timeout);
  }
}
