package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
  @Test
  void bindsLoopbackPort8080WithASlotPerCoreByDefault() {
    ServerOptions options = ServerOptions.parse();

    assertThat(options.bind()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.slots()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(options.project()).isEmpty();
  }

  @Test
  void readsEveryOption() {
    ServerOptions options =
        ServerOptions.parse(
            "--project",
            "p",
            "--bind",
            "0.0.0.0",
            "--port",
            "0",
            "--slots",
            "4",
            "--queue",
            "0",
            "--drain",
            "2m");

    assertThat(options)
        .isEqualTo(
            new ServerOptions(
                Optional.of(Path.of("p")), "0.0.0.0", 0, 4, 0, Duration.ofMinutes(2)));
  }

  @Test
  void saysInOneSentenceWhatIsWrong() {
    assertThatThrownBy(() -> ServerOptions.parse("--port", "http"))
        .hasMessage("--port must be a whole number from 0 to 65535, was 'http'");
    assertThatThrownBy(() -> ServerOptions.parse("--slots", "0"))
        .hasMessageContaining("--slots must be a whole number from 1");
    assertThatThrownBy(() -> ServerOptions.parse("--bind")).hasMessage("--bind needs a value");
    assertThatThrownBy(() -> ServerOptions.parse("--interpreter-flags", "-X"))
        .hasMessage("unknown option '--interpreter-flags'");
    assertThatThrownBy(() -> ServerOptions.parse("--drain", "soon"))
        .hasMessageContaining("--drain must be a duration");
  }
}
