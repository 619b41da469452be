package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interpreter named by a bare name is the real file found on stepguard's own PATH. */
class InterpreterFilesTest {
  @Test
  void findsABareNameOnThePathAsItsRealFile() {
    assertThat(InterpreterFiles.realFile("sh"))
        .hasValueSatisfying(
            found -> {
              assertThat(found).isAbsolute();
              assertThat(Files.isSymbolicLink(found)).isFalse();
              assertThat(Files.isExecutable(found)).isTrue();
            });
  }

  @Test
  void aNameFoundNowhereIsNoFile() {
    assertThat(InterpreterFiles.realFile("stepguard-no-such-interpreter")).isEmpty();
    assertThat(InterpreterFiles.realFile("/nonexistent/python3")).isEmpty();
  }

  @Test
  void tellsAWrapperScriptSuchAsAPyenvShimFromAnInterpreter(@TempDir Path dir) throws Exception {
    Path shim =
        Files.writeString(dir.resolve("python3"), "#!/usr/bin/env bash\nexec pyenv exec \"$@\"\n");
    Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path link = Files.createSymbolicLink(dir.resolve("python"), shim);

    assertThat(InterpreterFiles.wrapper(shim.toString())).isTrue();
    assertThat(InterpreterFiles.wrapper(link.toString())).isTrue();
    assertThat(InterpreterFiles.wrapper(InterpreterFiles.realFile("java").orElseThrow().toString()))
        .isFalse();
    assertThat(InterpreterFiles.wrapper(dir.resolve("none").toString())).isFalse();
  }
}
