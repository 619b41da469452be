package dev.stepguard.core.model;

import java.util.Map;

/** Names of the Linux signals a script can end by. */
public final class Signals {
  public static final int SIGKILL = 9;
  public static final int SIGSEGV = 11;
  public static final int SIGTERM = 15;
  public static final int SIGXCPU = 24;
  public static final int SIGXFSZ = 25;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(1, "SIGHUP"),
          Map.entry(2, "SIGINT"),
          Map.entry(3, "SIGQUIT"),
          Map.entry(4, "SIGILL"),
          Map.entry(5, "SIGTRAP"),
          Map.entry(6, "SIGABRT"),
          Map.entry(7, "SIGBUS"),
          Map.entry(8, "SIGFPE"),
          Map.entry(SIGKILL, "SIGKILL"),
          Map.entry(10, "SIGUSR1"),
          Map.entry(SIGSEGV, "SIGSEGV"),
          Map.entry(12, "SIGUSR2"),
          Map.entry(13, "SIGPIPE"),
          Map.entry(14, "SIGALRM"),
          Map.entry(SIGTERM, "SIGTERM"),
          Map.entry(SIGXCPU, "SIGXCPU"),
          Map.entry(SIGXFSZ, "SIGXFSZ"),
          Map.entry(31, "SIGSYS"));

  private Signals() {}

  /** {@code SIGSEGV} for 11; {@code signal 42} for a number without a common name. */
  public static String name(int signal) {
    return NAMES.getOrDefault(signal, "signal " + signal);
  }
}
