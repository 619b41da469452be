package dev.stepguard.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Retry-After on a full queue: from the runs waiting, the slots and the typical run. */
class RetryAfterTest {
  @Test
  void growsWithTheRunsWaitingPerSlotAndTheTypicalRun() {
    assertThat(RetryAfter.estimate(8, 4, 10_000)).isEqualTo(25);
    assertThat(RetryAfter.estimate(16, 4, 10_000)).isEqualTo(45);
    assertThat(RetryAfter.estimate(8, 2, 10_000)).isEqualTo(45);
    assertThat(RetryAfter.estimate(8, 4, 20_000)).isEqualTo(50);
  }

  @Test
  void isAtLeastOneSecondAndAtMostTheCap() {
    assertThat(RetryAfter.estimate(0, 4, 0)).isEqualTo(1);
    assertThat(RetryAfter.estimate(1, 8, 50)).isEqualTo(1);
    assertThat(RetryAfter.estimate(1000, 1, 3_600_000)).isEqualTo(RetryAfter.MAX_SECONDS);
  }
}
