package dev.stepguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProcessIdentityTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ProcessIdentity recorded = new ProcessIdentity("h", 77, T0, "boot-1", 4_200L);

  @Test
  void survivesAChangedWallClock() {
    ProcessIdentity seenLater = new ProcessIdentity("h", 77, T0.plusSeconds(3), "boot-1", 4_200L);
    ProcessIdentity seenEarlier =
        new ProcessIdentity("h", 77, T0.minusSeconds(3600), "boot-1", 4_200L);

    assertThat(recorded.isCertainly(seenLater)).isTrue();
    assertThat(recorded.isCertainly(seenEarlier)).isTrue();
    assertThat(recorded.mayBe(seenLater)).isTrue();
  }

  @Test
  void aReusedPidWithOtherStartTicksIsAnotherProcess() {
    ProcessIdentity reused = new ProcessIdentity("h", 77, T0, "boot-1", 9_999L);

    assertThat(recorded.isCertainly(reused)).isFalse();
    assertThat(recorded.mayBe(reused)).isFalse();
  }

  @Test
  void aProcessOfAnotherBootIsAnotherProcess() {
    assertThat(recorded.isCertainly(new ProcessIdentity("h", 77, T0, "boot-2", 4_200L))).isFalse();
  }

  @Test
  void anOlderRecordWithoutMarksIsNeverCertainButMayBeItsPid() {
    ProcessIdentity old = new ProcessIdentity("h", 77, T0);

    assertThat(old.hasKernelMarks()).isFalse();
    assertThat(old.isCertainly(recorded)).isFalse();
    assertThat(old.mayBe(recorded)).isTrue();
    assertThat(old.mayBe(new ProcessIdentity("h", 78, T0, "boot-1", 4_200L))).isFalse();
  }

  @Test
  void bootIdAndStartTicksComeTogether() {
    assertThatThrownBy(() -> new ProcessIdentity("h", 1, T0, "boot-1", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ProcessIdentity("h", 1, T0, null, 5L))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
