package dev.stepguard.core.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.ErrorInfo;
import dev.stepguard.core.model.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorMessagesTest {

  @Test
  void anAbandonedRunSaysToRunItAgain() {
    ErrorInfo error =
        ErrorMessages.of(new Outcome.Abandoned("the host was killed"), "a.py", Duration.ZERO);

    assertThat(error.code()).isEqualTo("ABANDONED");
    assertThat(error.message()).contains("a.py", "ABANDONED", "run the script again");
  }

  @Test
  void sizesAndDurationsAreWrittenForPeople() {
    assertThat(Sizes.bytes(1)).isEqualTo("1 bytes");
    assertThat(Sizes.bytes(2048)).isEqualTo("2 KiB");
    assertThat(Sizes.bytes(3L << 30)).isEqualTo("3 GiB");
    assertThat(Sizes.bytes(1500)).isEqualTo("1500 bytes");
    assertThat(Sizes.duration(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    assertThat(Sizes.duration(Duration.ofSeconds(2))).isEqualTo("2 s");
  }
}
