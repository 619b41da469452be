package dev.stepguard.benchmarks;

import com.google.inject.Guice;
import com.google.inject.Module;
import com.google.inject.util.Modules;
import dev.stepguard.composition.CompositionModule;
import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.composition.Settings;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.model.Requester;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Finds the repository's examples and the interpreter the benchmarks run. */
final class Examples {
  private Examples() {}

  /**
   * The executor of a scratch project, built by the composition as {@code stepguard run} builds it
   * (the product's clock, redaction, recovery and real adapters, the history an H2 file in the
   * project), with {@code operatorConfig} as the operator config and each override bound over the
   * production modules: a history that keeps nothing, an instant launcher, or nothing.
   */
  static ScriptExecutor executor(
      Path project, String operatorConfig, Module historyOverride, Module launcherOverride)
      throws IOException {
    Path config = Scratch.file("stepguard-bench-operator-", ".yaml");
    Files.writeString(config, operatorConfig);
    RuntimeModuleFactory production = RuntimeModuleFactory.production();
    RuntimeModuleFactory adapters =
        new RuntimeModuleFactory() {
          @Override
          public Module create(Path projectRoot, Settings settings) {
            return Modules.override(production.create(projectRoot, settings)).with(historyOverride);
          }

          @Override
          public Module launcher(Path projectRoot, Settings settings) {
            return Modules.override(production.launcher(projectRoot, settings))
                .with(launcherOverride);
          }
        };
    RuntimeFactory runtimes =
        Guice.createInjector(
                new CompositionModule(adapters, Map.of("STEPGUARD_CONFIG", config.toString())))
            .getInstance(RuntimeFactory.class);
    return runtimes.open(project, runtimes.settings(project, notice -> {})).executor();
  }

  /** The executor of a scratch project with the production adapters, as {@code stepguard run}. */
  static ScriptExecutor executor(Path project, String operatorConfig) throws IOException {
    return executor(project, operatorConfig, Modules.EMPTY_MODULE, Modules.EMPTY_MODULE);
  }

  /** A new scratch project that holds a copy of examples/hello/hello.py. */
  static Path scratchProject() throws IOException {
    Path project = Scratch.directory("stepguard-bench-");
    Files.copy(hello(), project.resolve("hello.py"));
    return project;
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
