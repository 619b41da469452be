package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-off's frames carry a request whole, and refuse one that is not well formed. */
class FramesTest {
  @Test
  void aRequestWithEveryFieldArrivesAsSent() throws IOException {
    HandOff.Request sent =
        new HandOff.Request(
            Path.of("/srv/project"),
            "jobs/hello.py",
            "{\"name\": \"Ada\"}",
            Duration.ofSeconds(7),
            IsolationChoice.PROCESS,
            Map.of("PATH", "/usr/bin", "HOME", "/home/ada"));

    HandOff.Request received =
        Frames.request(Frames.header(sent), sent.input().getBytes(StandardCharsets.UTF_8));

    assertThat(received).isEqualTo(sent);
  }

  @Test
  void refusesAnotherVersionTooManyVariablesAnUnknownIsolationAndInputThatIsNotUtf8()
      throws IOException {
    byte[] good =
        Frames.header(new HandOff.Request(Path.of("/p"), "a.py", "", null, null, Map.of()));
    byte[] otherVersion = good.clone();
    otherVersion[3] = 9;

    assertThatThrownBy(() -> Frames.request(otherVersion, new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version");
    assertThatThrownBy(() -> Frames.request(header(1000, "PROCESS"), new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("1000 variables");
    assertThatThrownBy(() -> Frames.request(header(0, "CHROOT"), new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed");
    assertThatThrownBy(() -> Frames.request(good, new byte[] {(byte) 0xff}))
        .isInstanceOf(IOException.class);
  }

  @Test
  void anAcceptanceKeepsItsIdAndCutsLongNotices() throws IOException {
    String longNotice = "n".repeat(10_000);

    Frames.Accepted accepted =
        Frames.accepted(Frames.accepted("run-1", List.of("short", longNotice)));

    assertThat(accepted.id()).isEqualTo("run-1");
    assertThat(accepted.notices()).hasSize(2).first().isEqualTo("short");
    assertThat(accepted.notices().get(1)).hasSizeLessThan(longNotice.length()).startsWith("nnn");
  }

  /** A header of the current version with {@code variables} announced and that isolation. */
  private static byte[] header(int variables, String isolation) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(Frames.VERSION);
    out.writeUTF("/p");
    out.writeUTF("a.py");
    out.writeLong(-1);
    out.writeUTF(isolation);
    out.writeInt(variables);
    return bytes.toByteArray();
  }
}
