package dev.stepguard.app.cli;

import dev.stepguard.composition.ExitGuard;
import dev.stepguard.composition.SignalTrap;
import dev.stepguard.core.model.CancelRequest;
import dev.stepguard.core.port.Cancellation;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * What Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed) do to the command line. During a
 * run they cancel it: the first asks the script to stop within its grace period, the second kills
 * it at once, and either way the run is recorded CANCELLED before stepguard exits 128 + the
 * signal's number (130, 143, 129). A third, or one outside a run, ends stepguard at once as the
 * signal would have; the history is closed after the statement in progress.
 */
final class Interrupts implements ExitGuard {

  /** The signals handled, by the name the JDK knows them under, with their numbers. */
  private static final Map<String, Integer> SIGNALS = Map.of("HUP", 1, "INT", 2, "TERM", 15);

  /** Requests after which stepguard no longer waits for the run to be recorded. */
  private static final int GIVE_UP_AFTER = 2;

  private final String user;
  private final AtomicReference<Cancellation> current = new AtomicReference<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger firstSignal = new AtomicInteger(ExitCodes.NO_SIGNAL);
  private final Object exiting = new Object();
  private int holding;
  private int pendingExit;

  Interrupts(String user) {
    this.user = user;
  }

  /** Interrupts for this process: SIGINT and SIGTERM are trapped from now on. */
  static Interrupts trapped() {
    Interrupts interrupts = new Interrupts(System.getProperty("user.name", "unknown"));
    SIGNALS.forEach(interrupts::trap);
    return interrupts;
  }

  /** Runs {@code run} with a cancellation that the signals trip while it runs. */
  <T> T during(Function<Cancellation, T> run) {
    Cancellation cancellation = new Cancellation();
    requests.set(0);
    firstSignal.set(ExitCodes.NO_SIGNAL);
    current.set(cancellation);
    try {
      return run.apply(cancellation);
    } finally {
      current.set(null);
    }
  }

  /**
   * The number of the first signal that asked the latest run to stop, or {@link
   * ExitCodes#NO_SIGNAL}: the run's exit code when it ends CANCELLED.
   */
  int signalDuringRun() {
    return firstSignal.get();
  }

  /**
   * Runs {@code work}, which must not be cut short (creating or migrating the history); a signal
   * outside a run meanwhile ends stepguard once it is done. A third signal ends it at once anyway.
   */
  <T> T holdingExit(Supplier<T> work) {
    synchronized (exiting) {
      holding++;
    }
    try {
      return work.get();
    } finally {
      synchronized (exiting) {
        holding--;
        if (holding == 0 && pendingExit != 0) {
          Runtime.getRuntime().exit(pendingExit);
        }
      }
    }
  }

  @Override
  public void holding(Runnable work) {
    holdingExit(
        () -> {
          work.run();
          return null;
        });
  }

  /** What a signal named like {@code SIGINT}, numbered {@code number}, does. */
  void deliver(String signal, int number) {
    Cancellation cancellation = current.get();
    boolean insistent = requests.incrementAndGet() > GIVE_UP_AFTER;
    if (cancellation != null && !insistent) {
      firstSignal.compareAndSet(ExitCodes.NO_SIGNAL, number);
      cancellation.request(CancelRequest.bySignal(signal, user));
      return;
    }
    synchronized (exiting) {
      if (holding > 0 && !insistent) {
        pendingExit = ExitCodes.SIGNALLED + number;
        return;
      }
    }
    Runtime.getRuntime().exit(ExitCodes.SIGNALLED + number);
  }

  private void trap(String name, int number) {
    try {
      SignalTrap.trap(name, () -> deliver("SIG" + name, number));
    } catch (IllegalStateException e) {
      // Looked up here: logging starts up only when there is something to log, not on every run.
      LoggerFactory.getLogger(Interrupts.class)
          .warn("{}; it will end stepguard without a record", e.getMessage());
    }
  }
}
