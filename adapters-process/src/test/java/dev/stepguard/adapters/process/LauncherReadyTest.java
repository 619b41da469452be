package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A launcher made ready ahead of its first launch has already asked its interpreter what it is. */
class LauncherReadyTest {
  @TempDir Path directory;

  @Test
  void readyAsksTheInterpreterOnceBeforeAnyLaunch() throws Exception {
    Path asked = directory.resolve("asked");
    Path python = directory.resolve("python3");
    String real = Path.of(realPython()).toRealPath().toString();
    Files.writeString(
        python,
        "#!/bin/sh\necho asked >> '" + asked + "'\nexec '" + real + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
    LocalProcessLauncher launcher =
        new LocalProcessLauncher(Pythons.named(python.toString(), System.getenv("PATH")));

    launcher.ready();
    launcher.ready();

    assertThat(Files.readAllLines(asked)).containsExactly("asked");
  }

  private static String realPython() throws Exception {
    Process process =
        new ProcessBuilder(List.of("python3", "-I", "-c", "import sys; print(sys.executable)"))
            .redirectErrorStream(true)
            .start();
    String executable = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return executable.strip();
  }
}
