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
