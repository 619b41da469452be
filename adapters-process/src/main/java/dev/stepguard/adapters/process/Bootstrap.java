package dev.stepguard.adapters.process;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.core.model.Isolation;
import dev.stepguard.core.model.Json;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.port.Launch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Python program that runs inside the child before the script. The interpreter check compiles
 * it ({@code bootstrap.py}, a resource of this module) with the interpreter that will run it; each
 * launch passes a short {@link #LOADER} with {@code -c}, which reads exactly that compiled code
 * from stdin, ahead of the script's input, and runs it. No file of it exists on the host that
 * anything could replace.
 */
final class Bootstrap {
  static final String SOURCE = load();

  /** Reads exactly the compiled bootstrap (its length is the first argument) and runs it. */
  static final String LOADER =
      "import marshal, os, sys\n"
          + "size = int(sys.argv.pop(1))\n"
          + "code = b''\n"
          + "while len(code) < size:\n"
          + "    chunk = os.read(0, size - len(code))\n"
          + "    if not chunk:\n"
          + "        raise SystemExit('stepguard: the bootstrap did not arrive on stdin')\n"
          + "    code += chunk\n"
          + "exec(marshal.loads(code))\n";

  private Bootstrap() {}

  /**
   * The argument vector that runs {@code launch} under {@code python}: always its real executable,
   * never a path inside the project, and without {@code site}: a venv (its {@code .pth} files
   * included) is set up by the bootstrap only after the script's process is confined, limited and,
   * as root, unprivileged; nothing of the project takes part in the interpreter's start.
   *
   * @param isolation {@code SANDBOX} forbids user namespaces, or refuses to run the script where it
   *     cannot
   * @param limitProcesses whether to apply the process limit as RLIMIT_NPROC (only where it holds
   *     for root too and no cgroup caps the run's processes)
   * @param runAs the user id the script runs as when the bootstrap starts as root; 0 to keep
   * @param pythonPath project directories, relative to the project root (the child's working
   *     directory at both levels), put on {@code sys.path} right after the script's directory
   */
  static List<String> command(
      PythonLocator.Discovery.Found python,
      Launch launch,
      Isolation isolation,
      boolean limitProcesses,
      int runAs,
      List<String> pythonPath) {
    List<String> command = new ArrayList<>(interpreter(python));
    command.addAll(arguments(python, launch, isolation, limitProcesses, runAs, pythonPath));
    return List.copyOf(command);
  }

  /**
   * The argument vector of a warm interpreter: started with its bootstrap before any run is known,
   * it waits for a {@link #header} on stdin.
   */
  static List<String> warmCommand(PythonLocator.Discovery.Found python) {
    List<String> command = new ArrayList<>(interpreter(python));
    command.add("-");
    return List.copyOf(command);
  }

  /**
   * What a warm interpreter reads after its bootstrap, before the script's input: the run's {@link
   * #arguments} and its whole environment, which replaces the one it was started with.
   */
  static byte[] header(List<String> arguments, Map<String, String> environment) {
    ObjectNode run = Json.tree(Map.of());
    ArrayNode args = run.putArray("args");
    arguments.forEach(args::add);
    ObjectNode env = run.putObject("env");
    environment.forEach(env::put);
    byte[] body = run.toString().getBytes(StandardCharsets.UTF_8);
    byte[] size = (body.length + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(size, size.length + body.length);
    System.arraycopy(body, 0, all, size.length, body.length);
    return all;
  }

  /** The interpreter with its flags and the loader, up to the bootstrap's size. */
  private static List<String> interpreter(PythonLocator.Discovery.Found python) {
    return List.of(
        python.executable().toString(),
        "-I",
        "-S",
        "-B",
        "-c",
        LOADER,
        Integer.toString(python.bootstrapCode().length));
  }

  /** The run's own arguments to the bootstrap, the same whether cold or warm. */
  static List<String> arguments(
      PythonLocator.Discovery.Found python,
      Launch launch,
      Isolation isolation,
      boolean limitProcesses,
      int runAs,
      List<String> pythonPath) {
    Limits limits = launch.limits();
    List<String> arguments = new ArrayList<>();
    arguments.addAll(
        List.of(
            launch.script().value(),
            Long.toString(limits.cpuTimeSeconds()),
            Long.toString(limits.memoryBytes()),
            Long.toString(limits.fileSizeBytes()),
            Long.toString(limits.openFiles()),
            Long.toString(limitProcesses ? limits.processes() : 0),
            Integer.toString(runAs),
            isolation == Isolation.SANDBOX ? "1" : "0",
            python.venv() ? python.argv0().toString() : ""));
    arguments.addAll(pythonPath);
    return List.copyOf(arguments);
  }

  /** What the child reads on stdin: the compiled bootstrap, then the script's input. */
  static byte[] stdin(PythonLocator.Discovery.Found python, byte[] input) {
    byte[] code = python.bootstrapCode();
    byte[] all = Arrays.copyOf(code, code.length + input.length);
    System.arraycopy(input, 0, all, code.length, input.length);
    return all;
  }

  private static String load() {
    try (InputStream in = Bootstrap.class.getResourceAsStream("bootstrap.py")) {
      if (in == null) {
        throw new IllegalStateException("bootstrap.py is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
