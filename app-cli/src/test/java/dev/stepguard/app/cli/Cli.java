package dev.stepguard.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real entry point in-process and keeps what it printed. */
final class Cli {
  private Cli() {}

  record Result(int exitCode, String out, String err) {}

  static Result run(RuntimeModuleFactory adapters, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), adapters);
    return new Result(code, out.toString(), err.toString());
  }

  static Result run(String... args) {
    return run(new ProductionModuleFactory(), args);
  }
}
