package dev.stepguard.adapters.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptWritableTest {
  @TempDir Path temp;

  @Test
  void coversTheProjectAndItsWritableDirectoriesReachedByAnyName() throws Exception {
    Path root = Files.createDirectories(temp.resolve("proj"));
    Path out = Files.createDirectories(temp.resolve("elsewhere/out"));
    Files.createSymbolicLink(root.resolve("out"), out);
    ScriptWritable writable = new ScriptWritable(root, List.of("out"));

    assertThat(writable.covers(root.resolve("bin/python"))).isTrue();
    assertThat(writable.covers(out.resolve("python"))).isTrue();
    assertThat(writable.covers(temp.resolve("proj-evil/python"))).isFalse();
    assertThat(writable.covers(Path.of("/usr/bin/python3"))).isFalse();
  }

  @Test
  void trustsOnlyAbsoluteSearchPathEntriesNoScriptCouldHaveWritten() throws Exception {
    Path root = Files.createDirectories(temp.resolve("proj"));
    Path out = Files.createDirectories(temp.resolve("elsewhere/out"));
    Files.createSymbolicLink(root.resolve("out"), out);
    ScriptWritable writable = new ScriptWritable(root, List.of("out"));

    String trusted = writable.trusted(out + ":.::bin:" + root.resolve("out") + ":/usr/bin:/bin");

    assertThat(trusted).isEqualTo("/usr/bin:/bin");
  }
}
