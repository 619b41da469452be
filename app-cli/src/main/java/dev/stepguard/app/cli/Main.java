package dev.stepguard.app.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.stepguard.composition.CompositionModule;
import dev.stepguard.composition.ConfigurationException;
import dev.stepguard.composition.RuntimeFactory;
import dev.stepguard.composition.RuntimeModuleFactory;
import dev.stepguard.core.port.HistoryUnavailableException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The {@code stepguard} command. */
public final class Main {

  private Main() {}

  /**
   * The process's entry. A run the project's server takes is handed to it before the production
   * adapters (and with them Guice, picocli, the history) are so much as loaded.
   */
  public static void main(String[] args) {
    PrintWriter out = utf8(System.out);
    PrintWriter err = utf8(System.err);
    HandedRun.warmUpSocket(args);
    Interrupts interrupts = Interrupts.trapped();
    WorkingDirectory here = WorkingDirectory.ofJvm();
    Map<String, String> env = System.getenv();
    PrintWriter shown = Printable.guarded(err);
    int code;
    try {
      Optional<Integer> handedOff = HandedRun.attempt(args, out, shown, env, interrupts, here);
      code =
          handedOff.isPresent()
              ? handedOff.get()
              : alone(args, out, shown, RuntimeModuleFactory.production(), env, interrupts, here);
    } finally {
      shown.flush();
    }
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * A UTF-8 writer onto {@code stream} that flushes at each line, and writes a lone half of a
   * surrogate pair (which UTF-8 cannot encode) as its escape rather than as {@code ?}.
   */
  static PrintWriter utf8(OutputStream stream) {
    return new PrintWriter(
        new LoneSurrogates(new OutputStreamWriter(stream, StandardCharsets.UTF_8)), true);
  }

  /** Runs one command line with the given adapters and returns its exit code. */
  public static int execute(
      String[] args, PrintWriter out, PrintWriter err, RuntimeModuleFactory adapters) {
    return execute(args, out, err, adapters, System.getenv());
  }

  /**
   * Runs one command line with the given adapters, {@code env} standing for the environment (where
   * the operator config is), and returns its exit code.
   */
  public static int execute(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      RuntimeModuleFactory adapters,
      Map<String, String> env) {
    return execute(args, out, err, adapters, env, Path.of(System.getProperty("user.dir", "")));
  }

  /**
   * Runs one command line as if the user stood in {@code start} (where the project is looked for
   * without {@code --project}, and what paths on the command line are relative to).
   */
  public static int execute(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      RuntimeModuleFactory adapters,
      Map<String, String> env,
      Path start) {
    return execute(
        args,
        out,
        err,
        adapters,
        env,
        new Interrupts(System.getProperty("user.name", "unknown")),
        new WorkingDirectory(start));
  }

  /** Runs one command line whose runs {@code interrupts} can cancel. */
  static int execute(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      RuntimeModuleFactory adapters,
      Map<String, String> env,
      Interrupts interrupts,
      WorkingDirectory here) {
    PrintWriter shown = Printable.guarded(err);
    try {
      return executeGuarded(args, out, shown, adapters, env, interrupts, here);
    } finally {
      shown.flush();
    }
  }

  /** {@code err} is already guarded: everything on it is for people, so nothing reaches it raw. */
  private static int executeGuarded(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      RuntimeModuleFactory adapters,
      Map<String, String> env,
      Interrupts interrupts,
      WorkingDirectory here) {
    Optional<Integer> handedOff = HandedRun.attempt(args, out, err, env, interrupts, here);
    if (handedOff.isPresent()) {
      return handedOff.get();
    }
    return alone(args, out, err, adapters, env, interrupts, here);
  }

  /** Runs the command line in this process, {@code err} already guarded. */
  private static int alone(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      RuntimeModuleFactory adapters,
      Map<String, String> env,
      Interrupts interrupts,
      WorkingDirectory here) {
    if (StepguardCommand.opensTheHistory(args)) {
      // Logging starts here, before the warm-up's JDBI does it on its thread: SLF4J would keep what
      // this thread logged meanwhile and print a notice about it on stderr when it replays it.
      LoggerFactory.getILoggerFactory();
      adapters.warmUp();
    }
    Injector injector =
        Guice.createInjector(
            new CompositionModule(adapters, env, interrupts),
            binder -> {
              binder.bind(Interrupts.class).toInstance(interrupts);
              binder.bind(WorkingDirectory.class).toInstance(here);
            });
    CommandLine cli = StepguardCommand.tree(args, new GuiceFactory(injector));
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(new UsageErrors());
    cli.setExecutionExceptionHandler(
        (error, commandLine, parseResult) -> {
          if (error instanceof UsageError || error instanceof ConfigurationException) {
            err.println("stepguard: " + error.getMessage());
            return ExitCodes.USAGE;
          }
          if (error instanceof HistoryUnavailableException) {
            err.println("stepguard: " + error.getMessage());
            err.println("  'stepguard doctor' checks the history store");
            return ExitCodes.NOT_DONE;
          }
          err.println("stepguard: internal error: " + error.getMessage());
          LoggerFactory.getLogger(Main.class)
              .error("internal error while running {}", String.join(" ", args), error);
          return ExitCodes.INTERNAL_ERROR;
        });
    try {
      return cli.execute(args);
    } finally {
      injector.getInstance(RuntimeFactory.class).closeAll();
    }
  }
}
