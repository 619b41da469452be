package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScriptPathTest {

  @ParameterizedTest
  @ValueSource(strings = {"hello.py", "scripts/clean.py", "a/b/c/d.py", "with space.py", "ünï.py"})
  void acceptsRelativePythonFiles(String path) {
    assertThat(ScriptPath.problemWith(path)).isEmpty();
    assertThat(new ScriptPath(path).toString()).isEqualTo(path);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "../outside.py|'..'",
        "scripts/../../x.py|'..'",
        "/abs/x.py|absolute",
        "/proc/self/root/etc/x.py|absolute",
        "scripts\\x.py|backslash",
        "a//b.py|empty or '.' segment",
        "./a.py|empty or '.' segment",
        "notes.txt|not a .py file",
        "scripts/|empty or '.' segment"
      })
  void refusesPathsThatCouldLeaveTheProjectOrAreNotScripts(String path, String reason) {
    assertThat(ScriptPath.problemWith(path))
        .hasValueSatisfying(p -> assertThat(p).contains(reason));
    assertThatThrownBy(() -> new ScriptPath(path)).isInstanceOf(IllegalArgumentException.class);
  }

  @org.junit.jupiter.api.Test
  void refusesNulBytesAndEveryC0C1AndDeleteControlCharacter() {
    assertThat(ScriptPath.problemWith("a\0.py"))
        .hasValueSatisfying(p -> assertThat(p).contains("NUL"));
    assertThat(ScriptPath.problemWith("a\n.py"))
        .hasValueSatisfying(p -> assertThat(p).contains("U+000A"));
    assertThat(ScriptPath.problemWith("a\u007f.py")).isPresent();
    assertThat(ScriptPath.problemWith("e\u001b[31mcho.py"))
        .hasValue("the path contains the control character U+001B at position 1");
    assertThat(ScriptPath.problemWith("a\u009b.py"))
        .hasValueSatisfying(p -> assertThat(p).contains("U+009B"));
    assertThat(ScriptPath.problemWith("a\u0085b/c.py"))
        .hasValueSatisfying(p -> assertThat(p).contains("U+0085"));
  }

  @org.junit.jupiter.api.Test
  void refusesEmptyAndOverlongPaths() {
    assertThat(ScriptPath.problemWith("")).hasValue("no script path was given");
    assertThat(ScriptPath.problemWith(null)).isPresent();
    assertThat(ScriptPath.problemWith("a".repeat(5000) + ".py"))
        .hasValueSatisfying(p -> assertThat(p).contains("longer"));
  }
}
