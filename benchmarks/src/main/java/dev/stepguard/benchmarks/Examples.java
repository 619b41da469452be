package dev.stepguard.benchmarks;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import dev.stepguard.adapters.persistence.HistorySettings;
import dev.stepguard.adapters.persistence.JdbcHistoryModule;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.service.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Finds the repository's examples and the interpreter the benchmarks run. */
final class Examples {
  private Examples() {}

  /**
   * What the product wires around the adapters: the clock, the default redaction, and the real
   * history (an H2 file in the project), so that each measured run pays for its history writes.
   */
  static Module productWiring(Path project) {
    return Modules.combine(
        new JdbcHistoryModule(HistorySettings.forProject(project)),
        new AbstractModule() {
          @Override
          protected void configure() {
            bind(Clock.class).toInstance(Clock.systemUTC());
            bind(Redactor.class).toInstance(Redactor.defaults());
          }
        });
  }

  static Requester requester() {
    return Requester.cli("benchmark");
  }

  /** examples/hello/hello.py, looked up from the working directory upwards. */
  static Path hello() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("examples/hello/hello.py");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("run from inside the stepguard repository");
  }

  /**
   * What the process launcher runs for hello.py with default limits, built here from the shipped
   * bootstrap, to tell the Python side's cost from the Java side's: the argument vector, and the
   * compiled bootstrap that goes ahead of the input on stdin.
   */
  record Bootstrapped(List<String> command, byte[] code) {}

  static Bootstrapped bootstrapped(String python) throws IOException, InterruptedException {
    String source;
    try (var in =
        Examples.class.getResourceAsStream("/dev/stepguard/adapters/process/bootstrap.py")) {
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Process compile =
        new ProcessBuilder(
                List.of(
                    python,
                    "-I",
                    "-c",
                    "import sys, marshal; sys.stdout.buffer.write(marshal.dumps(compile("
                        + "sys.stdin.read(), '<stepguard-bootstrap>', 'exec', dont_inherit=True)))"))
            .start();
    try (var stdin = compile.getOutputStream()) {
      stdin.write(source.getBytes(StandardCharsets.UTF_8));
    }
    byte[] code = compile.getInputStream().readAllBytes();
    compile.waitFor();
    List<String> command =
        List.of(
            python,
            "-I",
            "-B",
            "-c",
            "import marshal, os, sys\nsize = int(sys.argv.pop(1))\ncode = b''\n"
                + "while len(code) < size:\n    code += os.read(0, size - len(code))\n"
                + "exec(marshal.loads(code))\n",
            Integer.toString(code.length),
            "hello.py",
            "33",
            Long.toString(1L << 30),
            Long.toString(64L << 20),
            "256",
            "0",
            "0");
    return new Bootstrapped(command, code);
  }

  static String realExecutable(String python) throws IOException, InterruptedException {
    return ask(python, "import sys; print(sys.executable)");
  }

  static String version(String python) throws IOException, InterruptedException {
    return ask(python, "import sys; print(sys.version.split()[0])");
  }

  private static String ask(String python, String code) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(List.of(python, "-I", "-c", code)).start();
    String answer = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return answer.strip();
  }
}
