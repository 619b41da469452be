package dev.stepguard.app.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepguard.composition.HandOff;
import dev.stepguard.composition.IsolationChoice;
import dev.stepguard.core.model.Ceilings;
import dev.stepguard.core.model.Requester;
import dev.stepguard.core.model.Status;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code stepguard run} handed to the project's server when one runs, tried before anything else is
 * loaded (no injector, no history, no configuration): the server runs it and sends back the record,
 * which is printed as {@link RunCommand} prints it, with the same exit code. Empty, with nothing
 * printed, when the command line is not a plain run or the server does not take it: then the run
 * goes on alone, and that path reports every usage error.
 */
final class HandedRun {
  private static final Set<String> VALUED =
      Set.of("--input", "--input-file", "--timeout", "--isolation", "--project");

  private HandedRun() {}

  static Optional<Integer> attempt(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      Interrupts interrupts,
      WorkingDirectory here) {
    Optional<Parsed> parsed = Parsed.of(args);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    Parsed run = parsed.get();
    if (run.json()) {
      warmUpJson();
    }
    ProjectOptions project = new ProjectOptions(here);
    project.project = run.option("--project").map(Path::of).orElse(null);
    Optional<HandOff.Request> request = request(run, project, env);
    if (request.isEmpty()) {
      return Optional.empty();
    }
    HandOff.Answer answer =
        interrupts.during(cancellation -> HandOff.send(request.get(), cancellation));
    if (answer instanceof HandOff.Answer.Ended ended) {
      ended.notices().forEach(Notices.printedTo(err));
      return Optional.of(print(ended, run.json(), project.root(), out, err, interrupts));
    }
    if (answer instanceof HandOff.Answer.Lost lost) {
      err.println("stepguard: " + lost.message());
      err.println(
          "  run "
              + lost.runId()
              + " was handed to the project's stepguard-server, which did not answer its end;"
              + " `stepguard history show "
              + lost.runId()
              + "` tells how it ended (CANCELLED if the server withdrew it before its start,"
              + " ABANDONED at the server's next start if the server died)");
      err.flush();
      return Optional.of(ExitCodes.INTERNAL_ERROR);
    }
    int signal = interrupts.signalDuringRun();
    return signal == ExitCodes.NO_SIGNAL
        ? Optional.empty()
        : Optional.of(ExitCodes.SIGNALLED + signal);
  }

  /**
   * Starts loading the JDK's Unix socket classes on a thread of their own when {@code args} is a
   * plain run: the first socket seeds a {@code SecureRandom}, which takes a while, and the signals
   * are trapped meanwhile. The socket is opened only to be closed; nothing is connected.
   */
  static void warmUpSocket(String[] args) {
    if (Parsed.of(args).isPresent()) {
      Thread warm = new Thread(new SocketWarmUp(), "stepguard-warm-up-socket");
      warm.setDaemon(true);
      warm.start();
    }
  }

  /**
   * Opens a socket. A class, not a lambda: the JVM's first lambda costs ~7 ms of set-up, which the
   * warm-up, started first, would otherwise wait for before it could begin.
   */
  private static final class SocketWarmUp implements Runnable {
    @Override
    public void run() {
      try {
        SocketChannel.open(StandardProtocolFamily.UNIX).close();
      } catch (IOException e) {
        // The hand-off opens its own socket and runs alone if it cannot.
      }
    }
  }

  /**
   * Starts Jackson on another thread while the run is sent and goes on in the server: the record
   * that comes back is then read and printed at once (and a run that goes on alone needs it too).
   */
  private static void warmUpJson() {
    Thread warm =
        new Thread(
            () ->
                Printable.write(
                    Printable.jsonWriter().withDefaultPrettyPrinter(),
                    JsonNodeFactory.instance.objectNode(),
                    Writer.nullWriter()),
            "stepguard-warm-up");
    warm.setDaemon(true);
    warm.start();
  }

  private static Optional<HandOff.Request> request(
      Parsed run, ProjectOptions project, Map<String, String> env) {
    try {
      Duration timeout =
          run.option("--timeout").isPresent()
              ? new TimeoutConverter().convert(run.option("--timeout").get())
              : null;
      IsolationChoice isolation =
          run.option("--isolation").map(IsolationChoice::parse).orElse(null);
      Optional<String> input = input(run, project);
      if (input.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          HandOff.Request.of(
              project.root(),
              project.inProject(run.script()),
              input.get(),
              timeout,
              isolation,
              env));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The input as the run would read it; empty when the run alone is to say what is wrong. */
  private static Optional<String> input(Parsed run, ProjectOptions project) {
    Optional<String> inline = run.option("--input");
    Optional<String> file = run.option("--input-file");
    if (inline.isPresent() && file.isPresent()) {
      return Optional.empty();
    }
    if (file.isEmpty()) {
      return Optional.of(inline.orElse("{}"));
    }
    BoundedFile.Read read =
        BoundedFile.read(
            project.fromHere(Path.of(file.get())), Ceilings.LIMITS.get("input"), "the input limit");
    if (!(read instanceof BoundedFile.Read.Content content)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content.bytes())).toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * Prints the record as {@link RunCommand} prints it: for people without loading Jackson, whole
   * (with {@code --json}) through it.
   */
  private static int print(
      HandOff.Answer.Ended ended,
      boolean json,
      Path root,
      PrintWriter out,
      PrintWriter err,
      Interrupts interrupts) {
    Map<String, Object> record = ended.fields();
    if (json) {
      ObjectNode tree = ended.record();
      tree.put("project", root.toString());
      RecordPrinter.json(out, tree);
    } else {
      RecordPrinter.human(out, err, record);
    }
    int code =
        ExitCodes.of(
            Status.valueOf(PlainFields.text(record, "status", "")),
            interrupts.signalDuringRun(),
            cancelledThrough(record));
    if (code == ExitCodes.INTERNAL_ERROR) {
      err.println(
          "stepguard: the project's stepguard-server stopped and cancelled the run it was handed");
      err.flush();
    }
    return code;
  }

  /** The channel the record's cancel request came through, or null when none can be read. */
  private static Requester.Channel cancelledThrough(Map<String, Object> record) {
    Object channel = field(field(field(record, "cancelledBy"), "requester"), "channel");
    try {
      return channel instanceof String name ? Requester.Channel.parse(name) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The field {@code name} of {@code value} when it is an object, else null. */
  private static Object field(Object value, String name) {
    return value instanceof Map<?, ?> fields ? fields.get(name) : null;
  }

  /** A command line that is a plain {@code run}: its script, options and {@code --json}. */
  private record Parsed(String script, Map<String, String> options, boolean json) {
    static Optional<Parsed> of(String[] args) {
      if (args.length < 2 || !args[0].equals("run")) {
        return Optional.empty();
      }
      String script = null;
      boolean json = false;
      Map<String, String> options = new HashMap<>();
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        if (arg.startsWith("@")) {
          // An argument file (picocli's @file): only the full command line reads it.
          return Optional.empty();
        }
        if (arg.equals("--json") && !json) {
          json = true;
          continue;
        }
        if (!arg.startsWith("-")) {
          if (script != null) {
            return Optional.empty();
          }
          script = arg;
          continue;
        }
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg : arg.substring(0, equals);
        String value;
        if (equals >= 0) {
          value = arg.substring(equals + 1);
        } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
          value = args[++i];
        } else {
          return Optional.empty();
        }
        if (!VALUED.contains(name) || options.put(name, value) != null) {
          return Optional.empty();
        }
      }
      return script == null ? Optional.empty() : Optional.of(new Parsed(script, options, json));
    }

    Optional<String> option(String name) {
      return Optional.ofNullable(options.get(name));
    }
  }
}
