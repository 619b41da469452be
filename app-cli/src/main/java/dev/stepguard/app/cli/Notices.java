package dev.stepguard.app.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** Prints the configuration's notices (keys of stepguard.yaml not applied) on stderr. */
final class Notices {
  private Notices() {}

  static Consumer<String> printedTo(PrintWriter err) {
    return notice -> {
      err.println("stepguard: " + notice);
      err.flush();
    };
  }
}
