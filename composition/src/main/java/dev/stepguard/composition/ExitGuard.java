package dev.stepguard.composition;

/**
 * What an entry point does with a request to exit (a signal) while work runs that must not be cut
 * short: the history's first open, which may create and migrate it, and the recovery after it. An
 * entry point that traps signals defers the exit until the work is done; H2 closes its file when
 * the JVM exits, and closing a new history in the middle of its migration left it unopenable.
 */
@FunctionalInterface
public interface ExitGuard {
  /** Nothing is deferred: for entry points that leave signals to the JVM. */
  ExitGuard NONE = Runnable::run;

  /** Runs {@code work}; an exit asked for meanwhile waits until it is done. */
  void holding(Runnable work);
}
