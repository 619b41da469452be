package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepguard.composition.HttpOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
  private static final HttpOptions CONFIGURED =
      new HttpOptions("127.0.0.1", 8080, 3, 9, Duration.ofSeconds(30));

  @Test
  void leavesWhatNoFlagSaysToTheConfiguration() {
    ServerOptions options = ServerOptions.parse();

    assertThat(options.project()).isEmpty();
    assertThat(options.over(CONFIGURED)).isEqualTo(CONFIGURED);
    assertThat(HttpOptions.defaults().bind()).isEqualTo("127.0.0.1");
    assertThat(HttpOptions.defaults().port()).isEqualTo(8080);
    assertThat(HttpOptions.defaults().slots())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void putsEveryFlagGivenOverTheConfiguration() {
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

    assertThat(options.project()).contains(Path.of("p"));
    assertThat(options.over(CONFIGURED))
        .isEqualTo(new HttpOptions("0.0.0.0", 0, 4, 0, Duration.ofMinutes(2)));
    assertThat(ServerOptions.parse("--slots", "1").over(CONFIGURED))
        .isEqualTo(new HttpOptions("127.0.0.1", 8080, 1, 9, Duration.ofSeconds(30)));
    assertThat(options.bind()).isEqualTo(Optional.of("0.0.0.0"));
  }

  @Test
  void takesHelpAsAQuestionNotAMistake() {
    for (String flag : new String[] {"--help", "-h"}) {
      assertThatThrownBy(() -> ServerOptions.parse("--port", "1", flag))
          .isInstanceOf(ServerOptions.HelpAsked.class)
          .hasMessage(ServerOptions.USAGE);
    }
    assertThatThrownBy(() -> ServerOptions.parse("--hel"))
        .isNotInstanceOf(ServerOptions.HelpAsked.class);
  }

  @Test
  void saysInOneSentenceWhatIsWrong() {
    assertThatThrownBy(() -> ServerOptions.parse("--port", "http"))
        .hasMessage("--port must be a whole number from 0 to 65535, was 'http'");
    assertThatThrownBy(() -> ServerOptions.parse("--slots", "0"))
        .hasMessageContaining("--slots must be a whole number from 1");
    assertThatThrownBy(() -> ServerOptions.parse("--bind")).hasMessage("--bind needs a value");
    assertThatThrownBy(() -> ServerOptions.parse("--interpreter-flags", "-X"))
        .hasMessage("unknown option '--interpreter-flags'; " + ServerOptions.USAGE);
    assertThatThrownBy(() -> ServerOptions.parse("--bogus"))
        .hasMessage("unknown option '--bogus'; " + ServerOptions.USAGE);
    assertThatThrownBy(() -> ServerOptions.parse("serve"))
        .hasMessage("unknown argument 'serve'; " + ServerOptions.USAGE);
    assertThatThrownBy(() -> ServerOptions.parse("--drain", "soon"))
        .hasMessageContaining("--drain must be a duration");
  }
}
