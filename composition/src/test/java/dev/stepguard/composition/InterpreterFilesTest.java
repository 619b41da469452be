package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

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
}
