package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warm bootstrap, started before its run, runs the run it is handed on stdin. */
class WarmBootstrapTest {
  @TempDir Path temp;

  @Test
  void runsTheScriptAndEnvironmentItReadsAfterItsCode() throws Exception {
    TestProject project = new TestProject(temp);
    project.script(
        "hi.py",
        "import json, os, sys\n"
            + "print(json.dumps({'in': json.load(sys.stdin), 'who': os.environ.get('WHO'),"
            + " 'started': os.environ.get('STARTED')}))\n");
    PythonLocator.Discovery.Found python = found(project.root());
    Process process = start(python, project.root());
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(python.bootstrapCode());
      stdin.flush();
      stdin.write(
          Bootstrap.header(
              List.of("hi.py", "0", "0", "0", "0", "0", "0", "0", ""), Map.of("WHO", "run")));
      stdin.write("{\"x\": 1}".getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).isZero();
    assertThat(out).contains("\"in\": {\"x\": 1}").contains("\"who\": \"run\"");
    assertThat(out).as("the start's environment is replaced").contains("\"started\": null");
  }

  @Test
  void theRunsTimeZoneIsTheOneItsEnvironmentNames() throws Exception {
    TestProject project = new TestProject(temp);
    project.script("tz.py", "import time\nprint(time.strftime('%Z', time.localtime(0)))\n");
    PythonLocator.Discovery.Found python = found(project.root());
    Process process = start(python, project.root());
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(python.bootstrapCode());
      stdin.flush();
      stdin.write(
          Bootstrap.header(
              List.of("tz.py", "0", "0", "0", "0", "0", "0", "0", ""), Map.of("TZ", "ABC+05:00")));
      stdin.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).isZero();
    assertThat(out.strip()).isEqualTo("ABC");
  }

  @Test
  void anInterpreterNeverHandedARunExitsQuietly() throws Exception {
    TestProject project = new TestProject(temp);
    PythonLocator.Discovery.Found python = found(project.root());
    Process process = start(python, project.root());
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(python.bootstrapCode());
    }

    assertThat(process.waitFor()).isZero();
    assertThat(process.getErrorStream().readAllBytes()).isEmpty();
  }

  @Test
  void importlibResourcesReadersAreLoadedBeforeTheScriptsFirstLine() throws Exception {
    // A venv without the system's site-packages: no `.pth` file of the host loads them either.
    String out =
        runWithoutSystemSite(
            "import importlib.util, sys\n"
                + "name = 'importlib.resources.readers'\n"
                + "print(name in sys.modules or importlib.util.find_spec(name) is None)\n");

    assertThat(out.strip()).isEqualTo("True");
  }

  @Test
  void importlibResourcesDispatchForAPackagesFilesIsSettledBeforeTheScript() throws Exception {
    String out =
        runWithoutSystemSite(
            "import pathlib\n"
                + "from importlib.resources import _common\n"
                + "dispatch = _common.as_file.dispatch\n"
                + "cells = dict(zip(dispatch.__code__.co_freevars,"
                + " (c.cell_contents for c in dispatch.__closure__)))\n"
                + "print(type(pathlib.Path()) in cells['dispatch_cache'])\n");

    assertThat(out.strip()).isEqualTo("True");
  }

  @Test
  void aChildOfAForkServerRunsWithTheNativeCallsMadeBeforeItsFork() throws Exception {
    TestProject project = new TestProject(temp);
    project.script("hi.py", "print('the script')\n");
    PythonLocator.Discovery.Found python = found(project.root());
    // As zygote.py does: the bootstrap's definitions make the _Native once, then the bootstrap
    // runs as the warm child's __main__ with it; here its compiler entry point marks the run.
    String server =
        "import marshal, os, sys\n"
            + "size = int(sys.argv.pop(1))\n"
            + "code = b''\n"
            + "while len(code) < size:\n"
            + "    code += os.read(0, size - len(code))\n"
            + "code = marshal.loads(code)\n"
            + "definitions = {'__name__': 'stepguard_bootstrap', '__builtins__': __builtins__}\n"
            + "exec(code, definitions)\n"
            + "native = definitions['_preload']()\n"
            + "given = native.compile_script\n"
            + "native.compile_script = lambda source, path: given(\n"
            + "    source + b'\\nprint(\"made before the fork\")\\n', path)\n"
            + "exec(code, {'__name__': '__main__', '__builtins__': __builtins__,"
            + " '_NATIVE': native})\n";
    List<String> command = new java.util.ArrayList<>(Bootstrap.warmCommand(python));
    command.set(command.indexOf(Bootstrap.LOADER), server);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.directory(project.root().toFile());
    Process process = builder.start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(python.bootstrapCode());
      stdin.flush();
      stdin.write(
          Bootstrap.header(List.of("hi.py", "0", "0", "0", "0", "0", "0", "0", ""), Map.of()));
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor()).isZero();
    assertThat(out).contains("the script").contains("made before the fork");
  }

  /** Runs {@code source} warm with a venv that leaves out the system's site-packages; stdout. */
  private String runWithoutSystemSite(String source) throws Exception {
    TestProject project = new TestProject(temp);
    project.script("probe.py", source);
    Path venv = java.nio.file.Files.createDirectories(temp.resolve("venv").resolve("bin"));
    java.nio.file.Files.writeString(
        venv.getParent().resolve("pyvenv.cfg"), "include-system-site-packages = false\n");
    PythonLocator.Discovery.Found python = found(project.root());
    Process process = start(python, project.root());
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(python.bootstrapCode());
      stdin.flush();
      stdin.write(
          Bootstrap.header(
              List.of(
                  "probe.py", "0", "0", "0", "0", "0", "0", "0", venv.resolve("python").toString()),
              Map.of()));
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isZero();
    return out;
  }

  private static PythonLocator.Discovery.Found found(Path root) {
    return (PythonLocator.Discovery.Found)
        Pythons.forProject("python3", root, List.of()).locate(root);
  }

  private static Process start(PythonLocator.Discovery.Found python, Path root) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(Bootstrap.warmCommand(python));
    builder.directory(root.toFile()).environment().put("STARTED", "yes");
    return builder.start();
  }
}
