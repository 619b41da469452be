package dev.stepguard.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepguard.core.model.Status;
import org.junit.jupiter.api.Test;

/** A cancelled run exits as the signal that first asked it to stop, whatever came after. */
class InterruptsTest {
  private final Interrupts interrupts = new Interrupts("ada");

  @Test
  void aRunCancelledBySigtermThenSigintExitsAsSigterm() {
    int code =
        interrupts.during(
            cancellation -> {
              interrupts.deliver("SIGTERM", 15);
              interrupts.deliver("SIGINT", 2);
              assertThat(cancellation.requested())
                  .hasValueSatisfying(request -> assertThat(request.cause()).isEqualTo("SIGTERM"));
              return ExitCodes.of(Status.CANCELLED, interrupts.signalDuringRun());
            });

    assertThat(code).isEqualTo(143);
  }

  @Test
  void theNextRunStartsWithoutTheSignalOfTheLastOne() {
    interrupts.during(
        cancellation -> {
          interrupts.deliver("SIGHUP", 1);
          return null;
        });

    int signal = interrupts.during(cancellation -> interrupts.signalDuringRun());

    assertThat(signal).isEqualTo(ExitCodes.NO_SIGNAL);
    assertThat(ExitCodes.of(Status.SUCCEEDED, signal)).isZero();
  }
}
