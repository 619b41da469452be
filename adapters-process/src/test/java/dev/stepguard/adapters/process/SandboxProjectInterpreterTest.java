package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stepguard.core.model.ExecutionRecord;
import dev.stepguard.core.model.Status;
import dev.stepguard.core.port.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cases 30 and 32 against {@code sandbox} isolation; skipped where bubblewrap cannot run. */
class SandboxProjectInterpreterTest extends ProjectInterpreterCases {
  private static final Bubblewrap BUBBLEWRAP = new Bubblewrap(System.getenv("PATH"));

  @BeforeAll
  static void needsBubblewrap() {
    assumeTrue(
        BUBBLEWRAP.probe() instanceof Bubblewrap.Probe.Works,
        () -> "bubblewrap does not work here: " + BUBBLEWRAP.check().detail());
  }

  /** The red team's venv: a .pth file that would act before the script's process is confined. */
  @Test
  void aProjectVenvsPthFileRunsOnlyConfinedAndUnprivileged() throws Exception {
    Path venv = venvWithPth();
    Path sitePackages;
    try (Stream<Path> lib = Files.list(venv.resolve("lib"))) {
      sitePackages = lib.findFirst().orElseThrow().resolve("site-packages");
    }
    Files.writeString(
        sitePackages.resolve("probe.pth"),
        "import os, sys, ctypes; sys.stderr.write('PTH uid=%d unshare=%d\\n' % (os.getuid(),"
            + " ctypes.CDLL(None, use_errno=True).unshare(0x10000000)))\n");
    project.script("a.py", "import json\nprint(json.dumps({}))\n");

    ExecutionRecord record = run(locator(venv.resolve("bin/python").toString(), ""), "a.py");

    assertThat(record.status()).as(record.toString()).isEqualTo(Status.SUCCEEDED);
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    assertThat(record.stderr())
        .contains("PTH uid=" + (uid == 0 ? SandboxProcessLauncher.NOBODY : uid) + " unshare=-1");
    assertThat(record.scriptSha256()).isNotNull();
  }

  @Override
  ProcessLauncher launcher(PythonLocator python) {
    return new SandboxProcessLauncher(
        python, BUBBLEWRAP, new ProcessSettings(project.root(), "python3", List.of()));
  }
}
