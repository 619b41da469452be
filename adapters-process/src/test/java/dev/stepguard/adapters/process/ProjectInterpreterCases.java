package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.execution.Redactor;
import dev.stepguard.core.execution.ScriptExecutor;
import dev.stepguard.core.fixtures.InMemoryExecutionStore;
import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.ExecutionRequest;
import dev.stepguard.core.model.Limits;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases 30 and 32 of docs/security.md ("The interpreter check runs nothing of the project on the
 * host") against the launcher a subclass names: no interpreter of the project, and nothing a
 * project venv would run at startup, runs on the host.
 */
abstract class ProjectInterpreterCases {
  /** The system interpreter the venvs of these tests are made from. */
  private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path temp;
  TestProject project;
  Path marker;

  /** The launcher under test, using {@code python}. */
  abstract ProcessLauncher launcher(PythonLocator python);

  @BeforeEach
  void createProject() {
    project = new TestProject(temp);
    marker = temp.resolve("ran-on-the-host");
    project.script("a.py", "print('{}')\n");
  }

  // 30
  @Test
  void refusesAProjectScriptNamedAsPythonOnThePath() throws IOException {
    fakePython(project.root().resolve("fakepy"));

    ExecutionRecord record =
        run(locator("fakepy", project.root() + ":" + System.getenv("PATH")), "a.py");

    assertRefused(record, project.root().resolve("fakepy"));
  }

  // 30
  @Test
  void refusesAProjectScriptNamedByItsAbsolutePath() throws IOException {
    Path fake = fakePython(project.root().resolve("tools/fakepy"));

    ExecutionRecord record = run(locator(fake.toString(), ""), "a.py");

    assertRefused(record, fake);
  }

  // 30
  @Test
  void refusesAProjectScriptReachedThroughAChainOfLinks() throws IOException {
    Path fake = fakePython(project.root().resolve("fakepy"));
    project.link("bin/python3", Path.of("../fakepy"));
    Path outside = Files.createDirectories(temp.resolve("elsewhere")).resolve("python");
    Files.createSymbolicLink(outside, project.root().resolve("bin/python3"));

    ExecutionRecord record = run(locator(outside.toString(), ""), "a.py");

    assertRefused(record, fake);
  }

  // 30
  @Test
  void refusesAVenvWhosePythonIsNotALinkToAnInstalledInterpreter() throws IOException {
    project.script("venv/pyvenv.cfg", "home = /usr/bin\n");
    Path fake = fakePython(project.root().resolve("venv/bin/python"));

    ExecutionRecord record = run(locator(fake.toString(), ""), "a.py");

    assertRefused(record, fake);
  }

  // 32
  @Test
  void theInterpreterCheckRunsNoPthFileOfAProjectVenvAndTheRunStillSeesTheVenv() throws Exception {
    Path venv = venvWithPth();
    PythonLocator python = locator(venv.resolve("bin/python").toString(), "");

    assertThat(python.locate()).isInstanceOf(PythonLocator.Discovery.Found.class);
    assertThat(marker).doesNotExist();

    project.script(
        "prefix.py",
        "import json, sys, venvmodule\n"
            + "print(json.dumps({'prefix': sys.prefix, 'module': venvmodule.WHERE}))\n");
    ExecutionRecord record = run(python, "prefix.py");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(record.output().get("prefix").asText()).isEqualTo(venv.toString());
    assertThat(record.output().get("module").asText()).isEqualTo("venv");
    assertThat(record.interpreter().path()).isEqualTo(venv.resolve("bin/python").toString());
    if (launcher(python).isolation() == dev.stepguard.core.model.Isolation.SANDBOX) {
      assertThat(marker).doesNotExist();
    }
  }

  // 30
  @Test
  void aVenvLinkSwappedForAProjectScriptAfterTheCheckIsNeverExecuted() throws Exception {
    Path venv = venvWithPth();
    Path link = venv.resolve("bin/python");
    PythonLocator python = locator(link.toString(), "");
    assertThat(python.locate()).isInstanceOf(PythonLocator.Discovery.Found.class);
    Files.delete(link);
    fakePython(link);

    ExecutionRecord record = run(python, "a.py");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    assertThat(temp.resolve("fake-ran")).doesNotExist();
  }

  /** A venv in the project made from the system interpreter, with a .pth writing the marker. */
  Path venvWithPth() throws Exception {
    assumeTrue(Files.isExecutable(SYSTEM_PYTHON), "needs " + SYSTEM_PYTHON);
    Path venv = project.root().resolve("venv");
    Process create =
        new ProcessBuilder(
                SYSTEM_PYTHON.toString(), "-I", "-m", "venv", "--without-pip", venv.toString())
            .inheritIO()
            .start();
    assertThat(create.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(create.exitValue()).isZero();
    Path sitePackages;
    try (Stream<Path> lib = Files.list(venv.resolve("lib"))) {
      sitePackages = lib.findFirst().orElseThrow().resolve("site-packages");
    }
    Files.writeString(
        sitePackages.resolve("marker.pth"),
        "import os; open(" + AdversarialCases.pythonString(marker.toString()) + ", 'w')\n");
    Files.writeString(sitePackages.resolve("venvmodule.py"), "WHERE = 'venv'\n");
    return venv;
  }

  /** A shell script in the project posing as Python: it answers the probe and leaves a mark. */
  private Path fakePython(Path path) throws IOException {
    Files.createDirectories(path.getParent());
    Files.writeString(
        path,
        "#!/bin/sh\ntouch "
            + temp.resolve("fake-ran")
            + " "
            + marker
            + "\ncat >/dev/null\necho /usr/bin/python3\necho 3.11.2\necho 00\n");
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    return path;
  }

  private void assertRefused(ExecutionRecord record, Path realFile) {
    assertThat(record.status()).as(record.toString()).isEqualTo(Status.LAUNCH_FAILED);
    assertThat(record.error().message()).contains(realFile.toString(), "lies inside the project");
    assertThat(marker).doesNotExist();
  }

  PythonLocator locator(String python, String searchPath) {
    return new PythonLocator(new ProcessSettings(project.root(), python, List.of()), searchPath);
  }

  ExecutionRecord run(PythonLocator python, String script) {
    ScriptExecutor executor =
        new ScriptExecutor(
            new FilesystemPathPolicy(project.root()),
            launcher(python),
            new InMemoryExecutionStore(),
            new ProcfsProcessTable(),
            Redactor.defaults(),
            Clock.systemUTC());
    Duration timeout = Duration.ofSeconds(20);
    return executor.execute(
        ExecutionRequest.standalone(
            script,
            "{}",
            timeout,
            Duration.ofSeconds(1),
            Limits.defaults(timeout.toMillis()),
            Requester.cli("test")));
  }
}
