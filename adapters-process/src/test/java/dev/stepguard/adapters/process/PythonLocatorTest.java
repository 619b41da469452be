package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.HealthReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonLocatorTest {
  @TempDir Path temp;

  /** An executable that answers the version probe like a Python interpreter would. */
  private Path fakeInterpreter(String name, String body) throws Exception {
    Path file = temp.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  @Test
  void findsPython3OnThePathAndResolvesTheRealExecutable() {
    PythonLocator locator = Pythons.onPath(System.getenv("PATH"));

    PythonLocator.Discovery found = locator.locate();

    assertThat(found).isInstanceOf(PythonLocator.Discovery.Found.class);
    PythonLocator.Discovery.Found python = (PythonLocator.Discovery.Found) found;
    assertThat(python.executable()).isAbsolute();
    assertThat(python.interpreter().version()).matches("3\\.\\d+\\.\\d+");
    assertThat(locator.locate()).isSameAs(found);
    assertThat(locator.check().ok()).isTrue();
  }

  @Test
  void saysHowToInstallPythonWhenItIsMissing() {
    PythonLocator locator = Pythons.onPath(temp.toString());

    HealthReport report = locator.check();

    assertThat(report.ok()).isFalse();
    assertThat(report.detail()).contains("no 'python3' was found on the PATH");
    assertThat(report.remedy()).contains("apt-get install python3", "operator config");
  }

  @Test
  void refusesAnInterpreterOlderThan38() throws Exception {
    Path old = fakeInterpreter("python3", "echo /usr/bin/python3.7; echo 3.7.3");

    PythonLocator.Discovery found = Pythons.named(old.toString(), "").locate();

    assertThat(((PythonLocator.Discovery.Missing) found).reason()).contains("3.7.3", "too old");
  }

  @Test
  void refusesSomethingThatIsNotAnInterpreter() throws Exception {
    Path broken = fakeInterpreter("python", "echo nonsense; exit 1");

    PythonLocator.Discovery found = Pythons.named(broken.toString(), "").locate();

    assertThat(((PythonLocator.Discovery.Missing) found).reason()).contains("not a working Python");
  }

  @Test
  void refusesAFileThatIsNotExecutable() throws Exception {
    Path file = Files.writeString(temp.resolve("python3"), "");

    PythonLocator.Discovery found = Pythons.named(file.toString(), "").locate();

    assertThat(((PythonLocator.Discovery.Missing) found).reason()).contains("not an executable");
  }

  @Test
  void usesTheConfiguredPathWhenTheExecutableNameIsEmpty() throws Exception {
    Path python = fakeInterpreter("py", "cat >/dev/null; echo; echo 3.12.1; echo e3");

    PythonLocator.Discovery found = Pythons.named(python.toString(), "").locate();

    assertThat(((PythonLocator.Discovery.Found) found).executable()).isEqualTo(python);
  }

  @Test
  void saysWhenTheInterpreterWasFoundThroughAWrapperAndHowToGoToItDirectly() throws Exception {
    Path python = Pythons.realPython();
    Path wrapper = fakeInterpreter("python3", "exec " + python + " \"$@\"");

    HealthReport wrapped = Pythons.named(wrapper.toString(), "").check();
    HealthReport direct = Pythons.named(python.toString(), "").check();

    assertThat(wrapped.ok()).isTrue();
    assertThat(wrapped.detail())
        .contains("found through the wrapper " + wrapper.toRealPath())
        .contains("'python: " + python + "'");
    assertThat(direct.ok()).isTrue();
    assertThat(direct.detail()).doesNotContain("found through");
  }

  @Test
  void probesTheRealFileWithoutSiteOrEnvironment() throws Exception {
    Path seen = temp.resolve("seen");
    Path real =
        fakeInterpreter(
            "py",
            "echo \"$0 $1 $2 $3 $4\" >" + seen + "; cat >/dev/null; echo; echo 3.12.1; echo e3");
    Path link = Files.createDirectories(temp.resolve("bin")).resolve("python3");
    Files.createSymbolicLink(link, real);

    PythonLocator.Discovery found = Pythons.named(link.toString(), "").locate();

    assertThat(((PythonLocator.Discovery.Found) found).executable()).isEqualTo(real.toRealPath());
    assertThat(seen).hasContent(real.toRealPath() + " -I -S -E -c");
  }

  @Test
  void aLookStartedAheadAsksTheInterpreterOnceAndTheLaunchTakesWhatItFound() throws Exception {
    Path asked = temp.resolve("asked");
    Path python =
        fakeInterpreter(
            "py", "echo asked >>" + asked + "; cat >/dev/null; echo; echo 3.12.1; echo e3");
    PythonLocator locator = Pythons.named(python.toString(), "");

    locator.lookAhead();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!Files.exists(asked) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(asked).as("asked before anything launches").exists();
    assertThat(locator.locate()).isInstanceOf(PythonLocator.Discovery.Found.class);
    assertThat(Files.readAllLines(asked)).as("asked once").containsExactly("asked");
  }

  @Test
  void checksWithAPathThatLeavesOutTheProjectAndRelativeEntries() throws Exception {
    Path seen = temp.resolve("seen");
    Path python =
        fakeInterpreter(
            "py", "echo \"$PATH\" >" + seen + "; cat >/dev/null; echo; echo 3.12.1; echo e3");
    Path root = Files.createDirectories(temp.resolve("proj"));
    String searchPath = root.resolve("bin") + ":bin:/usr/local/bin:" + root + ":/usr/bin";

    PythonLocator.Discovery found =
        new PythonLocator(new ProcessSettings(root, python.toString()), searchPath).locate();

    assertThat(found).isInstanceOf(PythonLocator.Discovery.Found.class);
    assertThat(seen).hasContent("/usr/local/bin:/usr/bin");
  }

  @Test
  void refusesAnInterpreterLinkInsideAWritableDirectory() throws Exception {
    Path root = Files.createDirectories(temp.resolve("proj"));
    Path link = Files.createDirectories(root.resolve("out")).resolve("python3");
    Files.createSymbolicLink(link, Path.of("/usr/bin/python3"));

    PythonLocator.Discovery found =
        Pythons.forProject(link.toString(), root, List.of("out")).locate();

    assertThat(((PythonLocator.Discovery.Missing) found).reason())
        .contains(link.toString(), "writable directory 'out'", "could have replaced it");
  }

  @Test
  void refusesAtLaunchAnInterpreterInsideTheLaunchedProject() throws Exception {
    Path python = fakeInterpreter("py", "cat >/dev/null; echo; echo 3.12.1; echo e3");
    PythonLocator locator = Pythons.named(python.toString(), "");

    assertThat(locator.locate(temp)).isInstanceOf(PythonLocator.Discovery.Missing.class);
    assertThat(locator.locate(temp.resolve("elsewhere")))
        .isInstanceOf(PythonLocator.Discovery.Found.class);
  }

  @Test
  void saysAConfiguredInterpreterThatIsNotThereDoesNotExist() {
    Path nowhere = temp.resolve("nowhere/python3");

    PythonLocator.Discovery found = Pythons.named(nowhere.toString(), "").locate();

    assertThat(((PythonLocator.Discovery.Missing) found).reason())
        .isEqualTo(nowhere + " does not exist");
  }

  @Test
  void saysWhyAnInterpreterThatCannotBeStartedCouldNotBeRun() throws Exception {
    Path python = temp.resolve("python3");
    Files.writeString(python, "#!" + temp.resolve("no-such-shell") + "\n");
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));

    PythonLocator.Discovery found = Pythons.named(python.toString(), "").locate();

    assertThat(((PythonLocator.Discovery.Missing) found).reason())
        .startsWith(python.toRealPath() + " could not be run: ");
  }

  @Test
  void saysItWasInterruptedWhileAskingTheInterpreterAndKeepsTheInterrupt() throws Exception {
    // By absolute paths: the probe's PATH is empty here, and a `sleep` not found would let the
    // fake answer at once, before the interrupt is looked at.
    Path python =
        fakeInterpreter("py", "/bin/cat >/dev/null; /bin/sleep 30; echo; echo 3.12.1; echo e3");
    PythonLocator locator = Pythons.named(python.toString(), "");

    Thread.currentThread().interrupt();
    PythonLocator.Discovery found;
    boolean stillInterrupted;
    try {
      found = locator.locate();
    } finally {
      stillInterrupted = Thread.interrupted();
    }

    assertThat(((PythonLocator.Discovery.Unanswered) found).reason())
        .isEqualTo("interrupted while asking " + python.toRealPath() + " for its version");
    assertThat(stillInterrupted).as("the interrupt is kept for the caller").isTrue();
  }

  @Test
  void refusesAnInterpreterWhoseCompiledBootstrapIsNotHex() throws Exception {
    Path python = fakeInterpreter("py", "cat >/dev/null; echo; echo 3.12.1; echo not-hex");

    PythonLocator.Discovery found = Pythons.named(python.toString(), "").locate();

    assertThat(((PythonLocator.Discovery.Missing) found).reason())
        .isEqualTo(python + " is not a working Python interpreter");
  }

  @Test
  void refusesAnInterpreterWhoseRealExecutableLiesInAWritableDirectory() throws Exception {
    Path root = Files.createDirectories(temp.resolve("proj"));
    Path planted =
        Files.writeString(Files.createDirectories(root.resolve("out")).resolve("py"), "");
    Path python =
        fakeInterpreter("py", "cat >/dev/null; echo " + planted + "; echo 3.12.1; echo e3");

    PythonLocator.Discovery found =
        Pythons.forProject(python.toString(), root, List.of("out")).locate();

    assertThat(((PythonLocator.Discovery.Missing) found).reason())
        .contains("(real file " + planted.toRealPath() + ")", "writable directory 'out'");
  }

  @Test
  void comparesVersionsByNumber() {
    assertThat(PythonLocator.isSupported("3.8.0")).isTrue();
    assertThat(PythonLocator.isSupported("3.10.1")).isTrue();
    assertThat(PythonLocator.isSupported("4.0")).isTrue();
    assertThat(PythonLocator.isSupported("3.7.9")).isFalse();
    assertThat(PythonLocator.isSupported("2.7.18")).isFalse();
    assertThat(PythonLocator.isSupported("three")).isFalse();
  }
}
