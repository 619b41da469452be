package dev.stepguard.adapters.process;

import dev.stepguard.core.model.HealthReport;
import dev.stepguard.core.model.Interpreter;
import dev.stepguard.core.port.HealthCheck;
import dev.stepguard.core.port.LaunchResult;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds the Python interpreter once: the configured path, or the command looked up on the PATH,
 * resolved to its real file. Nothing of the project runs on the host: a real file inside the
 * project or inside a directory sandboxed scripts may write to is refused unrun, and the real file
 * (never the configured path) is asked for its real executable and version (3.8 or newer) with
 * {@code -I -S -E}, so no {@code .pth} file, {@code sitecustomize} or {@code PYTHON*} variable
 * takes part. A configured path with a {@code pyvenv.cfg} beside it is a venv: launches run the
 * real executable with the venv's path as {@code argv[0]}, which is all Python needs to be that
 * venv.
 */
final class PythonLocator implements HealthCheck {
  static final String INSTALL_HINT =
      "Install Python 3.8 or newer (Debian/Ubuntu: apt-get install python3), or set"
          + " 'python:' in the operator config to the interpreter's path.";

  /**
   * Prints the real executable and the version, then the bootstrap (read from stdin) compiled by
   * this very interpreter, so that launches skip the compile.
   */
  private static final String PROBE =
      "import sys, marshal\n"
          + "print(sys.executable)\n"
          + "print('%d.%d.%d' % sys.version_info[:3], flush=True)\n"
          + "code = compile(sys.stdin.read(), '<stepguard-bootstrap>', 'exec', dont_inherit=True)\n"
          + "print(marshal.dumps(code).hex())\n";

  /**
   * How long the interpreter has to answer: long enough for a starved machine, where a pyenv shim's
   * chain of bash scripts took more than 10 s before Python started (sixteen command lines at once
   * beside two busy loops on two cores). A hung interpreter costs it to one run at a time: the
   * others meanwhile are told at once that it did not answer.
   */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);

  private static final int MAX_PROBE_OUTPUT = 1 << 20;

  static final String UNANSWERED_HINT =
      "The interpreter may hang, or the machine may have been too busy to start it in time;"
          + " a later run asks it again ('stepguard doctor' shows what it answers).";

  /** What was found: an interpreter to use, or why there is none. */
  sealed interface Discovery {
    /**
     * A usable interpreter.
     *
     * @param bootstrapCode the bootstrap compiled by this interpreter, in marshal format
     */
    record Found(
        Path executable, Path argv0, Interpreter interpreter, byte[] bootstrapCode, Path asked)
        implements Discovery {
      /** An interpreter that was asked directly. */
      Found(Path executable, Path argv0, Interpreter interpreter, byte[] bootstrapCode) {
        this(executable, argv0, interpreter, bootstrapCode, executable);
      }

      /** Whether launches run {@code executable} as a venv named by {@code argv0}. */
      boolean venv() {
        return !argv0.equals(executable);
      }

      /**
       * Whether the file asked is a wrapper of the interpreter (a pyenv shim): each process that
       * looks for Python runs it again, a command line before every run.
       */
      boolean wrapped() {
        return !venv() && !asked.equals(executable);
      }
    }

    /** No interpreter to launch with: why, and what a person can do about it. */
    sealed interface Absent extends Discovery {
      String reason();

      String hint();

      /** The launch result for a run that cannot start for want of Python. */
      default LaunchResult.NotStarted notStarted() {
        return new LaunchResult.NotStarted(reason() + ". " + hint(), null);
      }
    }

    /** None found, or what was found is not a Python stepguard can use. */
    record Missing(String reason) implements Absent {
      @Override
      public String hint() {
        return INSTALL_HINT;
      }
    }

    /**
     * The interpreter did not answer: it may hang, the machine may be too busy to start it in time,
     * or the look was interrupted. Not Python missing.
     */
    record Unanswered(String reason) implements Absent {
      @Override
      public String hint() {
        return UNANSWERED_HINT;
      }
    }
  }

  private final String configured;
  private final String searchPath;
  private final ScriptWritable scriptWritable;
  private final Duration probeTimeout;

  /** The standing answer, or null before the first look ends. */
  private volatile Standing standing;

  /** Whether a run is asking the interpreter again while the others take the standing answer. */
  private final AtomicBoolean asking = new AtomicBoolean();

  /**
   * An answer and until when it stands ({@link System#nanoTime()}): a found interpreter for good,
   * anything else for as long as the interpreter was given to answer (a look that was interrupted,
   * not at all), so that neither a busy moment (a fork that failed, a shim that was starved, a
   * probe killed) nor a repair stays unnoticed for the life of a server.
   */
  private record Standing(Discovery answer, long until) {
    boolean due() {
      return !(answer instanceof Discovery.Found) && System.nanoTime() - until >= 0;
    }
  }

  PythonLocator(ProcessSettings settings, String searchPath) {
    this(settings, searchPath, PROBE_TIMEOUT);
  }

  /** A locator that waits at most {@code probeTimeout} for the interpreter to answer. */
  PythonLocator(ProcessSettings settings, String searchPath, Duration probeTimeout) {
    this.probeTimeout = Objects.requireNonNull(probeTimeout, "probeTimeout");
    this.configured = Objects.requireNonNull(settings, "settings").python();
    this.searchPath = searchPath == null ? "" : searchPath;
    this.scriptWritable = new ScriptWritable(settings.projectRoot(), settings.writable());
  }

  /**
   * What the configured interpreter is. The first look is waited for by every caller; a found
   * interpreter stays found for the life of this process; any other answer stands for {@code
   * probeTimeout} (an interrupted look, not at all) and is then asked again by one caller, while
   * the others take the standing answer at once.
   */
  Discovery locate() {
    Standing now = standing;
    if (now == null) {
      synchronized (this) {
        now = standing;
        if (now == null) {
          now = ask();
          standing = now;
        }
      }
    } else if (now.due() && asking.compareAndSet(false, true)) {
      try {
        now = ask();
        standing = now;
      } finally {
        asking.set(false);
      }
    }
    return now.answer();
  }

  private Standing ask() {
    Discovery answer = discover();
    boolean interrupted = Thread.currentThread().isInterrupted();
    return new Standing(answer, System.nanoTime() + (interrupted ? 0 : probeTimeout.toNanos()));
  }

  /**
   * Starts {@link #locate} on a thread of its own, ahead of the first launch: the look runs the
   * interpreter (through whatever the configured command is, such as a pyenv shim), a process that
   * mostly waits, so a command about to run a script looks while it builds its launcher and opens
   * the history. A launch that comes first waits for the same look; none is repeated.
   */
  void lookAhead() {
    Thread look = new Thread(this::locate, "stepguard-python-look");
    look.setDaemon(true);
    look.start();
  }

  /**
   * The interpreter, unless it lies where a script of {@code projectRoot} could have written it.
   */
  Discovery locate(Path projectRoot) {
    Discovery found = locate();
    if (found instanceof Discovery.Found located) {
      Path executable = located.executable();
      if (ScriptWritable.inside(executable, projectRoot)) {
        return new Discovery.Missing(
            executable
                + " lies inside the project "
                + projectRoot
                + "; stepguard runs no interpreter from there");
      }
    }
    return found;
  }

  @Override
  public HealthReport check() {
    Discovery found = locate();
    if (found instanceof Discovery.Found located) {
      Interpreter interpreter = located.interpreter();
      String detail = "Python " + interpreter.version() + " at " + interpreter.path();
      if (located.wrapped()) {
        detail +=
            ", found through the wrapper "
                + located.asked()
                + ", which each command line runs again, adding its start to every run (~0.3 s"
                + " for a pyenv shim); 'python: "
                + located.executable()
                + "' in the operator config skips it (change it with the wrapper's version)";
      }
      return new HealthReport("python", true, detail, "");
    }
    Discovery.Absent absent = (Discovery.Absent) found;
    return new HealthReport("python", false, absent.reason(), absent.hint());
  }

  private Discovery discover() {
    Optional<Path> candidate = candidate();
    if (candidate.isEmpty()) {
      return new Discovery.Missing("no '" + configured + "' was found on the PATH");
    }
    Path path = candidate.get();
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException e) {
      return new Discovery.Missing(path + " does not exist");
    }
    Optional<String> refused = scriptWritable.refuse(path, real);
    if (refused.isPresent()) {
      return new Discovery.Missing(refused.get());
    }
    if (!Files.isRegularFile(real) || !Files.isExecutable(real)) {
      return new Discovery.Missing(path + " is not an executable file");
    }
    try {
      return probe(path, real);
    } catch (IOException e) {
      return new Discovery.Missing(real + " could not be run: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Discovery.Unanswered("interrupted while asking " + real + " for its version");
    }
  }

  private Optional<Path> candidate() {
    if (configured.contains("/")) {
      return Optional.of(Path.of(configured).toAbsolutePath());
    }
    for (String directory : searchPath.split(File.pathSeparator)) {
      if (!directory.isEmpty()) {
        Path path = Path.of(directory, configured).toAbsolutePath();
        if (Files.isRegularFile(path) && Files.isExecutable(path)) {
          return Optional.of(path);
        }
      }
    }
    return Optional.empty();
  }

  /** Asks the real file {@code real}, which {@code path} names, what it is. */
  private Discovery probe(Path path, Path real) throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(List.of(real.toString(), "-I", "-S", "-E", "-c", PROBE))
            .directory(new File(File.separator));
    builder.environment().clear();
    builder.environment().put("PATH", scriptWritable.trusted(searchPath));
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    ShortCommand.Ending ending =
        ShortCommand.run(
            builder,
            Bootstrap.SOURCE.getBytes(StandardCharsets.UTF_8),
            MAX_PROBE_OUTPUT,
            probeTimeout);
    if (ending instanceof ShortCommand.Ending.TimedOut) {
      return new Discovery.Unanswered(real + " " + ending.reason());
    }
    if (!(ending instanceof ShortCommand.Ending.Exited exited)) {
      return new Discovery.Missing(real + " " + ending.reason());
    }
    String output = exited.output();
    String[] lines = output.stripTrailing().split("\n", -1);
    if (lines.length >= 2 && !isSupported(lines[1].strip())) {
      return new Discovery.Missing(
          "Python "
              + lines[1].strip()
              + " at "
              + real
              + " is too old; stepguard needs 3.8 or newer");
    }
    if (exited.code() != 0 || exited.truncated() || lines.length != 3) {
      return new Discovery.Missing(path + " is not a working Python interpreter");
    }
    String version = lines[1].strip();
    byte[] code;
    Path executable;
    try {
      code = HexFormat.of().parseHex(lines[2].strip());
      executable = lines[0].strip().isEmpty() ? real : Path.of(lines[0].strip()).toRealPath();
    } catch (IllegalArgumentException | IOException e) {
      return new Discovery.Missing(path + " is not a working Python interpreter");
    }
    Optional<String> refused = scriptWritable.refuse(path, executable);
    if (refused.isPresent()) {
      return new Discovery.Missing(refused.get());
    }
    Path argv0 = isVenv(path) ? path : executable;
    return new Discovery.Found(
        executable, argv0, new Interpreter(argv0.toString(), version), code, real);
  }

  /**
   * Whether {@code path} is a venv's interpreter: Python looks for pyvenv.cfg beside it or above.
   */
  private static boolean isVenv(Path path) {
    Path bin = path.getParent();
    if (bin == null) {
      return false;
    }
    Path above = bin.getParent();
    return Files.isRegularFile(bin.resolve("pyvenv.cfg"))
        || (above != null && Files.isRegularFile(above.resolve("pyvenv.cfg")));
  }

  static boolean isSupported(String version) {
    String[] parts = version.split("\\.");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return major > 3 || (major == 3 && minor >= 8);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
