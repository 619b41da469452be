package dev.stepguard.adapters.process;

import dev.stepguard.core.fixtures.ProcessLauncherContract;

/** Python sources of the scripts that the launcher tests run. */
final class Scripts {
  static final String ECHO = "import sys\nsys.stdout.buffer.write(sys.stdin.buffer.read())\n";
  static final String EXIT_3_WITH_TRACEBACK =
      "import sys, traceback\n"
          + "try:\n    raise ValueError('bad row 7')\n"
          + "except ValueError:\n    traceback.print_exc()\n"
          + "sys.exit(3)\n";
  static final String SLEEP_FOREVER = "import time\ntime.sleep(10**6)\n";
  static final String BUSY_LOOP = "while True:\n    pass\n";
  static final String SEGFAULT = "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n";
  static final String FLOOD_STDOUT =
      "import sys\nline = 'x' * 1023 + '\\n'\nwhile True:\n    sys.stdout.write(line)\n";
  static final String WAIT_AFTER_STDERR =
      "import sys, time\nsys.stderr.write('waiting\\n')\nsys.stderr.flush()\ntime.sleep(10**6)\n";
  static final String IGNORE_SIGTERM =
      "import signal, time\n"
          + "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
          + "while True:\n    time.sleep(0.05)\n";

  private Scripts() {}

  /** Prints {@code output} exactly as given, as bytes, and exits 0. */
  static String printing(String pythonBytesLiteral) {
    return "import sys\nsys.stdout.buffer.write(" + pythonBytesLiteral + ")\n";
  }

  /** The source of the contract's script for {@code behaviour}. */
  static String behaving(ProcessLauncherContract.Behaviour behaviour) {
    return switch (behaviour) {
      case ECHO -> ECHO;
      case EXIT_3_WITH_TRACEBACK -> EXIT_3_WITH_TRACEBACK;
      case SLEEP_FOREVER -> SLEEP_FOREVER;
      case SEGFAULT -> SEGFAULT;
      case FLOOD_STDOUT -> FLOOD_STDOUT;
      case WAIT_AFTER_STDERR -> WAIT_AFTER_STDERR;
      case IGNORE_SIGTERM -> IGNORE_SIGTERM;
    };
  }
}
