package dev.stepguard.composition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A trapped signal runs its handler instead of ending the JVM. */
class SignalTrapTest {
  @Test
  void runsTheHandlerWhenTheSignalArrives() throws Exception {
    CountDownLatch handled = new CountDownLatch(1);
    // WINCH, not HUP: a JVM started under nohup (or with HUP ignored) cannot trap HUP at all.
    SignalTrap.trap("WINCH", handled::countDown);

    new ProcessBuilder("kill", "-WINCH", Long.toString(ProcessHandle.current().pid()))
        .start()
        .waitFor();

    assertThat(handled.await(10, TimeUnit.SECONDS)).as("the handler ran").isTrue();
  }

  @Test
  void saysWhenASignalCannotBeTrapped() {
    assertThatThrownBy(() -> SignalTrap.trap("NOSUCHSIGNAL", () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SIGNOSUCHSIGNAL cannot be trapped");
  }
}
