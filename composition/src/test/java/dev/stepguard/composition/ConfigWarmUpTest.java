package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The configuration warm-up: a sample read to its end, touching no file. */
class ConfigWarmUpTest {
  @Test
  void readsItsSampleToTheEnd() {
    assertThat(ConfigWarmUp.run()).isTrue();
  }

  /** A section the sample leaves out would have its deserializer built in front of the script. */
  @Test
  void sampleSetsEveryKeyOfTheTopLevelSoEverySectionIsWarmed() throws Exception {
    ConfigFile sample = ConfigText.parse(Path.of("warm-up.yaml"), ConfigWarmUp.SAMPLE).content();

    for (RecordComponent key : ConfigFile.class.getRecordComponents()) {
      assertThat(key.getAccessor().invoke(sample)).as(key.getName()).isNotNull();
    }
  }

  @Test
  void runsOnADaemonThreadThatEnds() throws InterruptedException {
    Thread warmUp = ConfigWarmUp.start();

    assertThat(warmUp.isDaemon()).isTrue();
    warmUp.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(warmUp.isAlive()).isFalse();
  }
}
